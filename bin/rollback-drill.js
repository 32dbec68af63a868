#!/usr/bin/env node
// `rollback-drill` bin: runs harness/cli.ts under tsx, forwarding arguments, signals and exit code.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, ['--import', path.join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs'), path.join(root, 'harness', 'cli.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
