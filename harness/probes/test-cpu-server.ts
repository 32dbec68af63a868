// A real HTTP server in its own process whose every answer costs a fixed amount of CPU (a busy
// loop: a query plan without the index the other engine had), for the load tests: its capacity is
// about 1000 / cpuMs answers per second, whatever the load does. Its own process, so the busy loop
// cannot stall the load generator under test.
import { spawn } from 'node:child_process';

const SERVER = `
const http = require('node:http');
const cpuMs = Number(process.env.CPU_MS);
const server = http.createServer((req, res) => {
  const until = performance.now() + cpuMs;
  while (performance.now() < until);
  res.writeHead(200, { 'content-type': 'application/json', 'x-db-engine': 'sqlite' });
  res.end('{"status":"healthy"}');
});
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));
`;

export async function startCpuServer(cpuMs: number): Promise<{ url: string } & AsyncDisposable> {
  const child = spawn(process.execPath, ['-e', SERVER], { env: { CPU_MS: String(cpuMs) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`cpu server exited ${code} before listening`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
