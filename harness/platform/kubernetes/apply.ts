// Applying and deleting objects on the API server: server-side apply under the drill's field
// manager (a 409 Conflict retried with back-off), the run label added, the ownership guard in
// front; a namespace that exists is used as it is, one still terminating is waited out.
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { KubeApiError } from '../kube-errors.ts';
import { objectRef, withRunLabel } from '../objects.ts';
import { PlatformError, WaitTimeoutError } from '../types.ts';
import { type KubeKind, type KubeObject } from '../../model/platform.ts';
import { done, notYet, waitFor } from '../wait.ts';
import type { OwnershipGuard } from './ownership.ts';
import { iso, type KubeSession } from './session.ts';

export const FIELD_MANAGER = 'rollback-drill';

export const isConflict = (e: Error): boolean => e instanceof KubeApiError && e.status === 409;

export async function applyObjects(s: KubeSession, guard: OwnershipGuard, input: KubeObject | KubeObject[]): Promise<void> {
  for (const obj of Array.isArray(input) ? input : [input]) {
    const { kind, name, namespace } = objectRef(obj);
    if (namespace === undefined) {
      await applyNamespace(s, guard, obj);
      continue;
    }
    await guard.guard(kind, namespace, name);
    await serverSideApply(s, withRunLabel(obj, s.runId), `apply ${kind} ${namespace}/${name}`);
    guard.markOwned(kind, namespace, name);
  }
}

/** Server-side apply; a 409 Conflict is retried `conflictRetries` times (100, 200, 400 ms ...), then thrown. */
async function serverSideApply(s: KubeSession, obj: KubeObject, what: string): Promise<void> {
  const retries = s.opts.conflictRetries ?? 3;
  let conflicts = 0;
  await waitFor(
    async () => {
      try {
        await s.objects.patch(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
        return done(undefined);
      } catch (err) {
        const e = s.error(err, what);
        if (isConflict(e) && conflicts++ < retries) return notYet(e.message);
        throw e;
      }
    },
    // The retry count bounds it; the timeout is only a backstop over the requests and pauses.
    { describe: what, timeoutMs: (retries + 1) * s.requestTimeoutMs + 100 * 2 ** (retries + 1), intervalMs: (checks) => 100 * 2 ** (checks - 1) },
  );
}

/**
 * A namespace that already exists is used as it is (never labelled, so never deleted); one that is
 * still terminating from an earlier run is waited out; a new one is created with the run's label.
 */
async function applyNamespace(s: KubeSession, guard: OwnershipGuard, obj: KubeObject): Promise<void> {
  const name = obj.metadata!.name!;
  const existing = await waitFor(
    async () => {
      const ns = await s.read('Namespace', undefined, name);
      const since = ns?.metadata?.deletionTimestamp;
      return since ? notYet(`terminating since ${iso(since) ?? since}`) : done(ns);
    },
    { describe: `namespace "${name}" to finish terminating`, timeoutMs: 120_000, intervalMs: 1_000 },
  ).catch((err: unknown) => {
    if (!(err instanceof WaitTimeoutError)) throw err;
    throw new PlatformError(`namespace "${name}" is still terminating after 120s (${err.lastState})`, 3);
  });
  if (existing) {
    s.progress(`namespace "${name}" already exists: using it, it will not be deleted`);
    guard.touched.add(name);
    return;
  }
  s.progress(`creating namespace "${name}" on context ${s.context}`);
  await serverSideApply(s, withRunLabel(obj, s.runId), `create Namespace ${name}`);
  guard.created(name);
}

export async function deleteOwned(s: KubeSession, guard: OwnershipGuard, kind: KubeKind, namespace: string, name: string): Promise<void> {
  if (kind === 'Namespace') {
    if (!guard.createdNamespaces.has(name)) throw new PlatformError(`refusing to delete namespace "${name}": this run did not create it`, 2);
    await s.deleteObject('Namespace', undefined, name);
    guard.createdNamespaces.delete(name);
    return;
  }
  if ((await guard.guard(kind, namespace, name)) === 'absent') return;
  await s.deleteObject(kind, namespace, name);
  guard.forget(kind, namespace, name);
}
