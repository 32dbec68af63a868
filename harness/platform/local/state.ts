// What the parts of the local platform share: the object store (the API server's state), the pod
// table (the kubelet's), the two controllers, the event log, the change feed and progress lines.
import type { ChangeFeed } from './changes.ts';
import type { DeploymentController } from './deployment-controller.ts';
import type { EventLog } from './events.ts';
import type { JobController } from './job-controller.ts';
import type { PodTable } from './pod-table.ts';
import type { ObjectStore } from './store.ts';

export interface LocalState {
  readonly store: ObjectStore;
  readonly pods: PodTable;
  readonly deployments: DeploymentController;
  readonly jobs: JobController;
  readonly eventLog: EventLog;
  readonly changes: ChangeFeed;
  progress(line: string): void;
}
