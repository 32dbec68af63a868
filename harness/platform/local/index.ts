// The local platform: Kubernetes manifests run as local processes (docs/local-platform.md).
export { createLocalPlatform, type LocalPlatform } from './platform.ts';
export { DATA_TOOL_IMAGE_PATTERN, defaultImages, LocalImageSpecSchema, LocalPlatformOptionsSchema, type LocalImageSpec, type LocalPlatformInput } from './config.ts';
export { configImages, drillImages, mergeImageLayers, targetImages } from './target-images.ts';
export { ENDPOINT_HEADER } from './service-proxy.ts';
export { RUN_MARKER_ENV } from './process-group.ts';
export { findLeaks, markedProcesses, listeningSockets, type LeakReport } from './leaks.ts';
