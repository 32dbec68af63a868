// The image map of a drill: the harness's own images < the target profile's < the config's.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DrillConfigSchema } from '../../model/drill-config.ts';
import { formatConfigError } from '../../config/parse.ts';
import { loadTarget } from '../../targets/load.ts';
import { compiledEntry } from './compiled-entry.ts';
import { defaultImages, ImageMap, tsxNodeCommand } from './config.ts';
import { REPO_ROOT } from '../../kit/repo.ts';
import { TOPOLOGY } from '../../kit/topology.ts';
import { configImages, drillImages, mergeImageLayers, targetImages } from './target-images.ts';

const target = await loadTarget('reference');
const node = tsxNodeCommand();

/** The platform's map for a drill: what createLocalPlatform builds from its defaults and `images`. */
const mapFor = (user: Record<string, unknown> = {}) => new ImageMap(mergeImageLayers(defaultImages(REPO_ROOT), drillImages(target, DrillConfigSchema.parse({ images: user }).images)));

describe('image sources', () => {
  it('the harness names no app: postgres and the data tool, each with its tools', () => {
    const d = defaultImages(REPO_ROOT);
    expect(Object.keys(d).sort()).toEqual(['drill-data:*', 'postgres:*']);
    // The compiled bundle, as the image runs dist/cli.js (no TypeScript compiled at each start).
    expect(d['drill-data:*']!.bins['drill-data']).toMatch(/node_modules\/\.cache\/rollback-drill\/drill-data\/cli\.js$/);
    expect(d['drill-data:*']!.command).toEqual([process.execPath, d['drill-data:*']!.bins['drill-data']]);
    expect(d['drill-data:*']!.tools).toEqual(expect.arrayContaining(['drill-data', 'node', 'sh']));
    expect(d['drill-data:*']!.tools).not.toContain('sqlite3');
    expect(d['drill-data:*']!.cwd).toBe(REPO_ROOT); // its WORKDIR has node_modules (better-sqlite3 resolves there)
    expect(d['postgres:*']!.tools).toEqual(expect.arrayContaining(['psql', 'pg_dump', 'pg_isready', 'sh', 'cat']));
    expect(new ImageMap(d).resolve(TOPOLOGY.appImage)).toBeUndefined();
  });

  it("the target's app image: its script compiled (as its Dockerfile builds it), bins, tools, cwd, and the app's port", () => {
    const app = mapFor().resolve(target.app.image)!;
    expect(app.command).toEqual([process.execPath, compiledEntry(path.join(REPO_ROOT, 'app', 'src', 'main.ts'))]);
    expect(app.compile).toBe(true);
    expect(app.bins['hyperpage-cli']).toBe(path.join(REPO_ROOT, 'app', 'src', 'cli.ts'));
    expect(app.tools).toEqual(target.images['hyperpage:*']!.tools);
    expect(app.cwd).toBe(REPO_ROOT);
    expect(app.defaultPort).toBe(target.app.port);
  });

  it('a config entry replaces the same pattern of the target, and of the defaults', () => {
    const m = mapFor({
      'hyperpage:*': { command: ['/srv/app/server.js'], env: { A: '1' } },
      'postgres:*': { command: ['/opt/pg/run'], tools: ['psql'] },
    });
    const app = m.resolve(target.app.image)!;
    expect(app.command).toEqual(['/srv/app/server.js']);
    expect(app.tools).toBeUndefined(); // the user's image says nothing of its tools: anything on this host
    expect(app.env).toEqual({ A: '1' });
    expect(app.defaultPort).toBe(target.app.port); // still the target's app image
    expect(m.resolve('postgres:15-alpine')!.command).toEqual(['/opt/pg/run']);
    expect(m.resolve('drill-data:v0.1.0')!.bins['drill-data']).toBeDefined();
  });

  it('across patterns: exact beats pattern, specific beats general, on a tie the later layer', () => {
    const m = mapFor({ 'hyperpage:v0.1.0': { command: ['exact'] }, '*': { command: ['any'] } });
    expect(m.resolve('hyperpage:v0.1.0')!.command).toEqual(['exact']);
    expect(m.resolve('hyperpage:v2')!.command[0]).toBe(node[0]); // the target's pattern beats the user's '*'
    expect(m.resolve('redis:7')!.command).toEqual(['any']);
    const tie = new ImageMap(mergeImageLayers({ 'a:*': spec('default'), 'b:*': spec('b') }, { '*:1': spec('user') }));
    expect(tie.resolve('a:1')!.command).toEqual(['user']);
    // A replaced pattern moves to its new layer's place, so it wins ties as that layer.
    const moved = new ImageMap(mergeImageLayers({ 'x:*': spec('old'), '*:1': spec('tie') }, { 'x:*': spec('new') }));
    expect(moved.resolve('x:1')!.command).toEqual(['new']);
  });

  it('a config image with cwd, env and tools; a .ts command runs under tsx', () => {
    const c = DrillConfigSchema.parse({ images: { 'mine:*': { command: ['./srv/main.ts', '--flag'], cwd: '/srv', env: { LOG_LEVEL: 'debug' }, tools: ['node', 'sh'] } } });
    const spec = configImages(c.images)['mine:*']!;
    expect(spec).toMatchObject({ command: [...node, './srv/main.ts', '--flag'], cwd: '/srv', env: { LOG_LEVEL: 'debug' }, tools: ['node', 'sh'], portEnv: 'PORT' });
    expect(targetImages({ images: {}, app: target.app })).toEqual({});
  });

  it('a bad config image entry is one line naming the field', () => {
    const bad = (images: unknown) => {
      const r = DrillConfigSchema.safeParse({ images });
      expect(r.success).toBe(false);
      return formatConfigError(r.error!);
    };
    expect(bad({ 'x:*': { command: ['a'], env: { 'NOT A NAME': '1' } } })).toBe('images.x:*.env.NOT A NAME: not an environment variable name');
    expect(bad({ 'x:*': { command: ['a'], tools: ['/usr/bin/sqlite3'] } })).toBe('images.x:*.tools.0: an executable name (no "/" or space)');
    expect(bad({ 'x:*': { command: ['a'], workdir: '/srv' } })).toMatch(/^images\.x:\*: Unrecognized key: "workdir"$/);
    expect(bad({ 'x:*': { command: [], cwd: '' } })).not.toContain('\n');
  });
});

function spec(cmd: string) {
  return configImages({ k: { command: [cmd] } }).k!;
}
