// `npm run bench [-- NAME [args...]]`: runs one bench entry (bench/NAME.ts) or all of them in
// turn, each in its own process so one entry's memory and timers cannot skew the next.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const entries = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...args] = process.argv.slice(2);

if (name === '--help' || name === '-h') {
  console.log(`usage: npm run bench [-- NAME [args]]\nentries: ${entries.join(', ')}`);
  process.exit(0);
}
if (name && !existsSync(path.join(dir, `${name}.ts`))) {
  console.error(`bench: unknown entry "${name}" (entries: ${entries.join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const entry of name ? [name] : entries) {
  console.log(`\n=== bench ${entry} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${entry}.ts`), ...(name ? args : [])], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${entry}: exit ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
