// The wren command as a user runs it: the built one (npm test builds first) and from source.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { programName } from '../../src/cli/program-name.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
const wren = (entry: string, ...args: string[]) => spawnSync(process.execPath, [entry, ...args], { cwd: root, encoding: 'utf8' });

test('the built wren prints its version', () => {
  assert.ok(existsSync(`${root}dist/cli/main.js`), 'dist/ is missing: run npm run build');
  const result = wren('dist/cli/main.js', 'version');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^wren ${version.replace(/\./g, '\\.')} \\(node 24\\.`));
});

test('wren lists its commands and rejects unknown ones', () => {
  const help = wren('src/cli/main.ts', '--help');
  assert.equal(help.status, 0);
  for (const command of ['operator', 'version', 'cluster']) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
  const unknown = wren('src/cli/main.ts', 'deploy');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "deploy"/);
});

test('wren operator rejects a bad flag with a usage error, before touching any cluster', () => {
  const result = wren('src/cli/main.ts', 'operator', '--provider', 'appmesh');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--provider: unknown provider/);
});

test('the usage lines name the program as it was called: kubectl wren through the plugin entry, wren otherwise', () => {
  const cases: Array<[entry: string, name: string]> = [
    ['/usr/local/bin/kubectl-wren', 'kubectl wren'],
    ['/app/dist/cli/kubectl-wren.js', 'kubectl wren'],
    ['/work/src/cli/kubectl-wren.ts', 'kubectl wren'],
    ['/usr/local/bin/wren', 'wren'],
    ['/app/dist/cli/main.js', 'wren'],
    ['', 'wren'],
  ];
  for (const [entry, name] of cases) assert.equal(programName(entry), name, entry);
  const plugin = wren('src/cli/kubectl-wren.ts', 'sync', '--help');
  assert.equal(plugin.status, 0, plugin.stderr);
  assert.match(plugin.stdout, /^usage: kubectl wren sync <subcommand>/);
});
