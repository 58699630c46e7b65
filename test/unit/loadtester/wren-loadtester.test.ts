// `wren loadtester` as users run it, a child process on 127.0.0.1: the token on every endpoint but
// GET /healthz, load only to --allow-target origins, and --insecure as the way back to an open one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLoadTester } from '../../helpers/loadtester-process.ts';
import { loadTarget } from '../../helpers/load-target.ts';

const MAIN = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));
const canary = { name: 'podinfo', namespace: 'shop' };
const WRONG_TOKEN = 'not-the-load-tester-token';

/** The environment of this test run without a load tester token in it. */
function envWithoutToken(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.WREN_LOADTESTER_TOKEN;
  return env;
}

const load = (url: string) => ({ ...canary, metadata: { type: 'load', url, rate: '10', concurrency: '1', duration: '300ms' } });

test('without a token or --insecure, wren loadtester does not start and says how to give one', () => {
  const result = spawnSync(process.execPath, [MAIN, 'loadtester', '--address', '127.0.0.1:0'], {
    encoding: 'utf8',
    env: envWithoutToken(),
    timeout: 30_000,
  });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /needs a token: --token-file PATH \(a mounted Secret\) or WREN_LOADTESTER_TOKEN; or --insecure/);
});

test('a token file that is missing or empty stops the start with a message naming --token-file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wren-loadtester-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const empty = join(dir, 'empty');
  writeFileSync(empty, '\n');
  const cases: [path: string, message: RegExp][] = [
    [join(dir, 'missing'), /^wren: --token-file \S+missing: ENOENT/],
    [empty, /^wren: --token-file \S+empty: the token file \S+empty is empty$/m],
  ];
  for (const [path, message] of cases) {
    const result = spawnSync(process.execPath, [MAIN, 'loadtester', '--address', '127.0.0.1:0', '--token-file', path], {
      encoding: 'utf8',
      env: envWithoutToken(),
      timeout: 30_000,
    });
    assert.equal(result.status, 1, path);
    assert.match(result.stderr, message);
  }
});

test('without the token a request gets 401 and changes nothing; with a wrong one too; with the right one 200', async (t) => {
  const app = await loadTarget(t);
  const loadTester = await startLoadTester(t, { allowTargets: [app.origin] });
  assert.equal((await fetch(`${loadTester.url}/healthz`)).status, 200, 'GET /healthz needs no token');
  for (const token of [undefined, WRONG_TOKEN]) {
    const denied = await loadTester.request('/gate/open', canary, token);
    assert.equal(denied.status, 401, `token ${token}`);
    assert.equal(JSON.parse(denied.text).error, 'send the load tester token as Authorization: Bearer <token>');
    assert.equal((await loadTester.request('/rollback/open', canary, token)).status, 401);
    assert.equal((await loadTester.request('/gate/check', canary, token)).status, 401);
    assert.equal((await loadTester.request('/', load(app.url), token)).status, 401);
  }
  assert.equal(app.hits(), 0, 'no load was sent');
  assert.equal((await loadTester.request('/gate/check', canary, loadTester.token)).status, 403, 'the gate stayed closed');
  assert.equal((await loadTester.request('/rollback/check', canary, loadTester.token)).status, 403, 'no rollback was asked for');
  assert.equal((await loadTester.request('/gate/open', canary, loadTester.token)).status, 200);
  assert.equal((await loadTester.request('/gate/check', canary, loadTester.token)).status, 200);
});

test('load to a URL no --allow-target matches gets 403 naming its origin and the flag; an allowed one gets the load', async (t) => {
  const allowed = await loadTarget(t);
  const other = await loadTarget(t);
  const loadTester = await startLoadTester(t, { allowTargets: [allowed.origin] });
  const refused = await loadTester.request('/', load(other.url), loadTester.token);
  assert.equal(refused.status, 403);
  assert.equal(
    JSON.parse(refused.text).error,
    `load to ${other.origin} is not allowed: the load tester sends load only to origins given with --allow-target`,
  );
  assert.equal(other.hits(), 0);
  assert.equal((await loadTester.request('/', load(allowed.url), loadTester.token)).status, 200);
  assert.equal(allowed.hits(), 3);
});

test('with a token but no --allow-target, all load is refused with 403', async (t) => {
  const app = await loadTarget(t);
  const loadTester = await startLoadTester(t);
  const refused = await loadTester.request('/', load(app.url), loadTester.token);
  assert.equal(refused.status, 403);
  assert.match(JSON.parse(refused.text).error, new RegExp(`^load to ${app.origin} is not allowed: .*--allow-target$`));
  assert.equal(app.hits(), 0);
});

test('a token file rewritten while it runs takes effect without a restart', async (t) => {
  const loadTester = await startLoadTester(t);
  assert.equal((await loadTester.request('/gate/open', canary, loadTester.token)).status, 200);
  writeFileSync(loadTester.tokenFile as string, 'rotated-token\n');
  assert.equal((await loadTester.request('/gate/check', canary, loadTester.token)).status, 401, 'the old token is refused');
  assert.equal((await loadTester.request('/gate/check', canary, 'rotated-token')).status, 200, 'the new token is accepted');
});

test('the token from WREN_LOADTESTER_TOKEN is required, and the commands it runs do not inherit it', async (t) => {
  const loadTester = await startLoadTester(t, { tokenFrom: 'env', allowCommands: ['env'] });
  assert.equal((await loadTester.request('/', { metadata: { type: 'cmd', cmd: 'env' } }, undefined)).status, 401);
  const ran = await loadTester.request('/', { metadata: { type: 'cmd', cmd: 'env' } }, loadTester.token);
  assert.equal(ran.status, 200);
  const output = JSON.parse(ran.text).output as string;
  assert.match(output, /^PATH=/m, 'the command ran and printed its environment');
  assert.ok(!output.includes(loadTester.token as string), 'the token is not in the environment of commands');
  assert.doesNotMatch(output, /WREN_LOADTESTER_TOKEN/);
});

test('the token, right or wrong, never appears in the log or in an answer', async (t) => {
  const app = await loadTarget(t);
  const loadTester = await startLoadTester(t, { allowTargets: [app.origin] });
  const answers = [
    await loadTester.request('/gate/open', canary, WRONG_TOKEN),
    await loadTester.request('/gate/open', canary, loadTester.token),
    await loadTester.request('/', load('http://127.0.0.1:9/'), loadTester.token),
    await loadTester.request('/', load(app.url), loadTester.token),
  ];
  await new Promise((resolve) => setTimeout(resolve, 200));
  const log = loadTester.output();
  assert.match(log, /request without a valid load tester token refused/, 'the refusal was logged');
  for (const token of [WRONG_TOKEN, loadTester.token as string]) {
    assert.ok(!log.includes(token), 'not in the log');
    for (const answer of answers) assert.ok(!answer.text.includes(token), 'not in an answer');
  }
});

test('--insecure answers without a token and sends load to any URL, as before, and warns at start', async (t) => {
  const app = await loadTarget(t);
  const loadTester = await startLoadTester(t, { insecure: true });
  assert.equal(loadTester.token, undefined);
  assert.equal((await loadTester.request('/gate/open', canary, undefined)).status, 200);
  assert.equal((await loadTester.request('/gate/check', canary, undefined)).status, 200);
  assert.equal((await loadTester.request('/', load(app.url), undefined)).status, 200);
  assert.equal(app.hits(), 3);
  const warnings = loadTester
    .output()
    .split('\n')
    .filter((line) => line.includes('"level":"warn"'));
  assert.equal(warnings.length, 2, loadTester.output());
  assert.match(warnings[0] ?? '', /--insecure without a token: anyone who reaches the load tester can open gates/);
  assert.match(warnings[1] ?? '', /--insecure without --allow-target: load goes to any URL a request names/);
});
