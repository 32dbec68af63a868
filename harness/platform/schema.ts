// Validates Kubernetes objects against the published Kubernetes 1.33 OpenAPI schemas (the
// `kubernetes-models` package, 4.5.x; kind v0.29's node image runs 1.33.1), plus strict field
// validation (unknown fields), which the API server applies to `kubectl apply` by default but
// JSON schemas do not: field names come from @kubernetes/client-node's generated models.
//
// Why both: client-node serialises objects through its typed models and silently drops fields it
// does not know, so a misspelt field would vanish on the way to the API server instead of failing.
import * as k8s from '@kubernetes/client-node';
import { createRequire } from 'node:module';

/** Kubernetes minor version of the schemas (kubernetes-models 4.5.x). */
export const SCHEMA_KUBERNETES_VERSION = '1.33';

const require = createRequire(import.meta.url);

export interface ManifestValidation {
  valid: boolean;
  /** "path: message" per problem, e.g. "metadata.labels.emergency: must be string". */
  errors: string[];
}

interface AjvError {
  instancePath: string;
  message?: string;
  keyword?: string;
}

type ModelClass = new (data: unknown) => { validate(): void };

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  if (!/^[a-z0-9.]*\/?v\d+[a-z0-9]*$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  try {
    const mod = require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>;
    return mod[kind];
  } catch {
    return undefined;
  }
}

function dotted(instancePath: string): string {
  const parts = instancePath.replace(/^\//, '').split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Same notation as the unknown-field walk: spec.ports[0].port
  return parts.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '') || '(object)';
}

function schemaErrors(Model: ModelClass, obj: object): string[] {
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) return [`(object): ${(err as Error).message}`];
    // ajv reports every branch of a oneOf (int-or-string, quantity): one line per path.
    const byPath = new Map<string, string[]>();
    for (const e of errors) {
      const p = dotted(e.instancePath);
      const msgs = byPath.get(p) ?? [];
      if (e.message && !msgs.includes(e.message)) msgs.push(e.message);
      byPath.set(p, msgs);
    }
    return [...byPath].map(([p, msgs]) => `${p}: ${msgs.join(' / ')}`);
  }
}

type AttributeMap = { baseName: string; type: string }[];
type Generated = { getAttributeTypeMap?: () => AttributeMap };

function generatedModel(typeName: string): Generated | undefined {
  const cls = (k8s as unknown as Record<string, unknown>)[typeName];
  return typeof cls === 'function' && typeof (cls as Generated).getAttributeTypeMap === 'function' ? (cls as Generated) : undefined;
}

/** Fields the Kubernetes API does not define, walking the generated model types (like the API server's strict field validation). */
function unknownFields(value: unknown, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, arr[1]!, `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === 'object') for (const [k, v] of Object.entries(value)) unknownFields(v, map[1]!, `${path}.${k}`, out);
    return;
  }
  const model = generatedModel(type);
  if (!model || typeof value !== 'object' || Array.isArray(value)) return;
  const attrs = model.getAttributeTypeMap!();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const attr = attrs.find((a) => a.baseName === k);
    const p = path ? `${path}.${k}` : k;
    if (!attr) out.push(`${p}: unknown field`);
    else unknownFields(v, attr.type, p, out);
  }
}

function generatedTypeName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').at(-1) ?? '';
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

/** Validate one object (Deployment, Service, Job, Pod, ... of any built-in API) as the API server would. */
export function validateManifest(obj: unknown): ManifestValidation {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { valid: false, errors: ['(object): not an object'] };
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return { valid: false, errors: ['(object): apiVersion and kind are required'] };
  const Model = modelFor(apiVersion, kind);
  if (!Model) return { valid: false, errors: [`(object): no Kubernetes ${SCHEMA_KUBERNETES_VERSION} schema for ${apiVersion} ${kind}`] };
  const errors = schemaErrors(Model, obj);
  const metadataName = (obj as { metadata?: { name?: unknown } }).metadata?.name;
  if (typeof metadataName !== 'string' || metadataName === '') errors.push('metadata.name: required');
  if (generatedModel(generatedTypeName(apiVersion, kind))) unknownFields(obj, generatedTypeName(apiVersion, kind), '', errors);
  return { valid: errors.length === 0, errors };
}

/** Throws one line naming the object and its first problems. */
export function assertValidManifest(obj: unknown): void {
  const r = validateManifest(obj);
  if (r.valid) return;
  const o = obj as { kind?: string; metadata?: { name?: string } } | null;
  const shown = r.errors.slice(0, 3).join('; ') + (r.errors.length > 3 ? `; and ${r.errors.length - 3} more` : '');
  throw new Error(`${o?.kind ?? 'object'} ${o?.metadata?.name ?? '?'} is not valid Kubernetes ${SCHEMA_KUBERNETES_VERSION}: ${shown}`);
}
