// Which images the kind platform puts into its node, and where each comes from: the target
// profile's app image (built from its `app.build`, or prebuilt in docker), the drill's own data
// tool (built from this repository's datatool/Dockerfile) and the postgres image the baseline runs.
// No Kubernetes client here: the CLI checks the list before it starts the suites.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../kit/repo.ts';
import { DATA_TOOL_IMAGE } from '../kit/topology.ts';
import { PlatformError } from '../platform/types.ts';

/** The PostgreSQL image of the baseline manifests (cluster/manifests). */
export const POSTGRES_IMAGE = 'postgres:15-alpine';

/** `docker build -f <dockerfile> -t <image> <context>`: both paths absolute. */
export interface ImageBuild {
  source: 'build';
  image: string;
  context: string;
  dockerfile: string;
  /** How errors and progress name it ("the app image of target reference"). */
  what: string;
  /** Where a user fixes a bad path ("the profile's app.build"); none for the drill's own images. */
  declaredIn?: string;
}

/** An image docker has or pulls (postgres, a profile's prebuilt app image). */
export interface ImagePull {
  source: 'docker';
  image: string;
  what: string;
  /** Said when docker has it not and cannot pull it. */
  remedy?: string;
}

export type KindImage = ImageBuild | ImagePull;

/** The app as a loaded profile states it: build paths already absolute (harness/targets/load.ts). */
export interface AppImageSpec {
  image: string;
  build?: { context: string; dockerfile: string };
}

export interface KindImagesOptions {
  /** The target's name, for the messages. */
  target: string;
  app: AppImageSpec;
  /** The drill's data tool (default DATA_TOOL_IMAGE); false: not built. */
  dataToolImage?: string | false;
  /** Where the drill's own Dockerfiles are (default: this checkout). */
  repoRoot?: string;
  /** Images the manifests run besides the app's and the data tool's (default: postgres). */
  extraImages?: string[];
}

/** In load order: the app's, the data tool's, then the manifests' other images. */
export function kindImages(o: KindImagesOptions): KindImage[] {
  const what = `the app image of target ${o.target}`;
  const app: KindImage = o.app.build
    ? { source: 'build', image: o.app.image, ...absoluteBuild(o.app.build, o.target), what, declaredIn: "the profile's app.build" }
    : { source: 'docker', image: o.app.image, what, remedy: `build it first, or say how in the profile (app.build: {context, dockerfile})` };
  const list: KindImage[] = [app];
  const dataTool = o.dataToolImage ?? DATA_TOOL_IMAGE;
  const root = o.repoRoot ?? REPO_ROOT;
  if (dataTool !== false) list.push({ source: 'build', image: dataTool, context: root, dockerfile: path.join(root, 'datatool', 'Dockerfile'), what: 'the data tool image' });
  for (const image of o.extraImages ?? [POSTGRES_IMAGE]) list.push({ source: 'docker', image, what: `image ${image}` });
  return list;
}

function absoluteBuild(b: { context: string; dockerfile: string }, target: string): { context: string; dockerfile: string } {
  // A profile taken straight from defineTarget has its paths as written; only loadTarget knows its folder.
  if (!path.isAbsolute(b.context) || !path.isAbsolute(b.dockerfile)) {
    throw new Error(`target ${target}: app.build paths are relative (${b.context}, ${b.dockerfile}): load the profile with loadTarget, which resolves them from its folder`);
  }
  return { context: b.context, dockerfile: b.dockerfile };
}

/** The Dockerfile as the user wrote it when it is inside the context, else its absolute path. */
export function dockerfileShown(b: ImageBuild): string {
  const rel = path.relative(b.context, b.dockerfile);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : b.dockerfile;
}

/** A missing build context or Dockerfile: one line, exit 2, before docker runs. */
export async function assertBuildable(b: ImageBuild): Promise<void> {
  const where = b.declaredIn ? ` (${b.declaredIn})` : '';
  const isDir = await stat(b.context).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new PlatformError(`cannot build ${b.what}: build context ${b.context} is not a folder${where}`, 2);
  const isFile = await stat(b.dockerfile).then((s) => s.isFile(), () => false);
  if (!isFile) throw new PlatformError(`cannot build ${b.what}: ${dockerfileShown(b)} not found in ${b.context}${where}`, 2);
}

/** Every build of the list checked (no docker needed): what the CLI runs before a kind drill starts. */
export async function assertImagesBuildable(images: readonly KindImage[]): Promise<void> {
  for (const i of images) if (i.source === 'build') await assertBuildable(i);
}

/** One line for the terminal: what kind will build and what it will load from docker. */
export function describeImages(images: readonly KindImage[]): string {
  return images.map((i) => (i.source === 'build' ? `build ${i.image} (${dockerfileShown(i)})` : `load ${i.image}`)).join(', ');
}
