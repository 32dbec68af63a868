// Cluster providers: what the CLI and drill suites import.
export { assertKindUsable, detectCluster, detectTools, kindAvailability, KIND_VERSION, type ToolStatus } from './tools.ts';
export { KindCluster, renderKindConfig, APP_NODE_PORT, KIND_CONFIG_PATH, type KindClusterOptions } from './kind.ts';
export { assertImagesBuildable, describeImages, kindImages, POSTGRES_IMAGE, type ImageBuild, type ImagePull, type KindImage, type KindImagesOptions } from './images.ts';
export { openKindPlatform, type KindPlatformHandle, type KindPlatformOptions } from './kind-platform.ts';
export { execaRunner, type CommandRunner, type RunOptions, type RunResult } from './runner.ts';
export { openExistingPlatform, type ExistingPlatformOptions } from './existing.ts';
