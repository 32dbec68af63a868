// Loads the baseline topology (cluster/manifests/*.yaml) as typed Kubernetes objects, the
// same files a person applies with kubectl, so every platform drills the same topology.
import path from 'node:path';
