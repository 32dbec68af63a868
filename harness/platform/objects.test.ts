// The one object check and run label both platforms use, and the shared Deployment rules.
import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { mergeEnv, notReadyError, onStatusChange, rolledOut, toDeploymentStatus } from './deployments.ts';
import { matchesSelector, objectRef, withRunLabel } from './objects.ts';
import { PlatformError, RUN_LABEL } from './types.ts';
import { type KubeObject } from '../model/platform.ts';
import { WaitTimeoutError } from './wait.ts';

const dep: V1Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app', namespace: 'ns', labels: { app: 'a' } },
  spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
};

describe('objectRef', () => {
  it('names kind, name and namespace; a Namespace has none', () => {
    expect(objectRef(dep)).toEqual({ kind: 'Deployment', name: 'app', namespace: 'ns' });
    expect(objectRef({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', namespace: 'ignored' } })).toEqual({ kind: 'Namespace', name: 'ns', namespace: undefined });
  });

  it('an unknown kind, a missing name or namespace is the caller mistake: PlatformError exit 2', () => {
    for (const [obj, msg] of [
      [{ ...dep, kind: 'Pod' }, 'cannot apply an object without a known kind and a name (Pod/app)'],
      [{ ...dep, metadata: { namespace: 'ns' } }, 'cannot apply an object without a known kind and a name (Deployment/?)'],
      [{ ...dep, metadata: { name: 'app' } }, 'cannot apply Deployment app: metadata.namespace is required'],
    ] as [KubeObject, string][]) {
      const err = (() => {
        try {
          objectRef(obj);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(PlatformError);
      expect(err).toMatchObject({ exitCode: 2, message: msg });
    }
  });
});

describe('withRunLabel', () => {
  it('labels the object and its pod template, keeps the other labels, and leaves the input alone', () => {
    const before = structuredClone(dep);
    const out = withRunLabel(dep, 'run-1');
    expect(out.metadata?.labels).toEqual({ app: 'a', [RUN_LABEL]: 'run-1' });
    expect(out.spec?.template.metadata?.labels).toEqual({ app: 'a', [RUN_LABEL]: 'run-1' });
    expect(dep).toEqual(before);
  });

  it('an object without labels gets only the run label', () => {
    expect(withRunLabel<KubeObject>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } }, 'r').metadata?.labels).toEqual({ [RUN_LABEL]: 'r' });
  });

  it('matchesSelector: every selector pair must be among the labels', () => {
    expect(matchesSelector({ app: 'a', engine: 'pg' }, { app: 'a' })).toBe(true);
    expect(matchesSelector({ app: 'a' }, { app: 'a', engine: 'pg' })).toBe(false);
  });
});

describe('deployment rules', () => {
  it('mergeEnv: a changed name keeps its place, null removes, new names go last in the order given', () => {
    const list = [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: '$(A)' },
    ];
    expect(mergeEnv(list, { Z: 'z', A: 'x', B: null, Y: 'y' })).toEqual([
      { name: 'A', value: 'x' },
      { name: 'C', value: '$(A)' },
      { name: 'Z', value: 'z' },
      { name: 'Y', value: 'y' },
    ]);
    expect(list).toHaveLength(3); // not mutated
  });

  it('rolledOut: ready and updated reach the replicas; for 0, no pod left', () => {
    const s = toDeploymentStatus({ replicas: 3, readyReplicas: 3, updatedReplicas: 2 });
    expect(s.availableReplicas).toBe(0);
    expect(rolledOut(s, 3)).toBe(false);
    expect(rolledOut({ ...s, updatedReplicas: 3 }, 3)).toBe(true);
    expect(rolledOut(toDeploymentStatus(undefined), 0)).toBe(true);
    expect(rolledOut({ ...s, readyReplicas: 0 }, 0)).toBe(false);
  });

  it('onStatusChange reports only a status that differs from the last one', () => {
    const seen: number[] = [];
    const report = onStatusChange((s) => seen.push(s.readyReplicas));
    for (const r of [0, 0, 1, 1, 2]) report(toDeploymentStatus({ readyReplicas: r }));
    expect(seen).toEqual([0, 1, 2]);
  });

  it('notReadyError: the contract words, the last status (or "not found") and the reason appended', () => {
    const last = toDeploymentStatus({ replicas: 3, readyReplicas: 1, updatedReplicas: 3, availableReplicas: 1 });
    const e = notReadyError('ns', 'app', 3, new WaitTimeoutError('timed out', last, { timeoutMs: 2_400 }), '; last event: Unhealthy x');
    expect(e.message).toBe('deployment ns/app not ready with 3 replicas within 2s (ready 1/3, updated 3, available 1); last event: Unhealthy x');
    expect(e.lastStatus).toEqual(last);
    expect(notReadyError('ns', 'app', 1, new WaitTimeoutError('t', undefined, { timeoutMs: 0 })).message).toBe('deployment ns/app not ready with 1 replicas within 0s (not found)');
  });
});
