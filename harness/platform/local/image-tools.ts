// What is inside an image on the local platform. Each image gets a directory on this host: a shim
// per bin (a profile's `bins`: name → file) and, when the image lists its tools, a link per
// tool to this host's executable of that name. An image with a tools list is then the whole PATH
// of what the pod spec runs in it (an exec, an exec probe, a container command): argv[0] outside
// the list, or listed but found neither as a bin nor on this host, fails as in the real container,
// and so does a `sh -c 'curl …'` whose shell finds no curl. The image's own entrypoint and its bins
// run with this host's PATH: their insides stand in for the image's, they are not what the drill
// runs in it. An image without a tools list may run anything on this host's PATH (as before).
import { accessSync, constants as fsConstants, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { typeScriptArgv } from './compiled-entry.ts';
import type { LocalImageSpec } from './config.ts';

/** PATH of the image's entrypoint and bins: the shims, this node, this host's PATH. */
export function hostSearchPath(dir: string): string {
  return [dir, path.dirname(process.execPath), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(':');
}

function executable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The executable `name` on this host (node's own directory first, as a pod's PATH has it). */
function onHostPath(name: string): string | undefined {
  const dirs = [path.dirname(process.execPath), ...(process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':')].filter(Boolean);
  return dirs.map((d) => path.join(d, name)).find(executable);
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Fill `dir` with the image's bins (shell shims) and, if it lists tools, links to this host's executables. */
export function writeImageDir(dir: string, image: LocalImageSpec): void {
  mkdirSync(dir, { recursive: true });
  const hostPath = hostSearchPath(dir);
  for (const [name, target] of Object.entries(image.bins)) {
    // A .ts/.mts bin runs as the entrypoint does (node + tsx, or compiled); a .js/.mjs one under this node.
    const argv = typeScriptArgv(target, image.compile) ?? (/\.m?js$/.test(target) ? [process.execPath, target] : [target]);
    writeFileSync(path.join(dir, name), `#!/bin/sh\nPATH=${quote(hostPath)}; export PATH\nexec ${argv.map(quote).join(' ')} "$@"\n`, { mode: 0o755 });
  }
  for (const tool of image.tools ?? []) {
    if (Object.hasOwn(image.bins, tool)) continue;
    const file = onHostPath(tool);
    // Listed but not on this host: no link, so it fails as a missing executable.
    if (file) symlinkSync(file, path.join(dir, tool));
  }
}

export type ToolLookup = { ok: true; file: string } | { ok: false; reason: string };

/**
 * argv[0] of a command the pod spec runs in `image`, as the container runtime finds it. `onVolume`:
 * it is a path on a mounted volume (a script the drill put there), which any image may run.
 */
export function lookupInImage(argv0: string, image: LocalImageSpec, dir: string, onVolume: boolean): ToolLookup {
  if (!image.tools || onVolume) return { ok: true, file: argv0 };
  const name = argv0.includes('/') ? path.posix.basename(argv0) : argv0;
  const file = path.join(dir, name);
  // In the image (a listed tool or a bin) and present here (a tool this host lacks has no link).
  if ((image.tools.includes(name) || Object.hasOwn(image.bins, name)) && executable(file)) return { ok: true, file };
  // runc's words: a bare name is searched on PATH, a path is stat'ed.
  return { ok: false, reason: argv0.includes('/') ? `exec: "${argv0}": stat ${argv0}: no such file or directory` : `exec: "${argv0}": executable file not found in $PATH` };
}

/**
 * `kubectl exec` of a binary the image lacks. On containerd (kind) the API server answers a Status
 * with this message and no exit code (kubectl: "error: Internal error occurred: … failed to exec in
 * container: …", exit 1); dockershim said "command terminated with exit code 126". Both platforms
 * here report 127, the shell's "command not found", as kube-exec.ts does for that Status.
 */
export const MISSING_TOOL_EXIT = 127;

export function ociExecFailure(reason: string): string {
  return `OCI runtime exec failed: exec failed: unable to start container process: ${reason}: unknown\n`;
}
