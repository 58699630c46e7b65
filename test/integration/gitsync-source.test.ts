// The Git source against real remotes on loopback: git daemon, git http-backend (with and without
// basic auth, and as an old protocol-v0 server) and sshd. No Kubernetes cluster is involved.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { GitRepositories } from '../../src/gitsync/source/repositories.ts';
import { SyncError } from '../../src/gitsync/sync-error.ts';
import { startGitRemote, type GitRemote, type GitRemoteOptions } from '../helpers/git-remote.ts';

function scratch(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function remote(t: TestContext, options?: GitRemoteOptions): Promise<GitRemote> {
  const started = await startGitRemote(options);
  t.after(() => started.close());
  return started;
}

const repositories = (t: TestContext) => new GitRepositories({ cacheDir: scratch(t, 'wren-git-cache-') });
const isFetchError = (pattern: RegExp) => (error: unknown) =>
  error instanceof SyncError && error.stage === 'fetch' && pattern.test(error.message);

for (const transport of ['git', 'http'] as const) {
  test(`over ${transport}://, every kind of ref resolves to the commit it names`, async (t) => {
    const origin = await remote(t);
    const url = transport === 'git' ? origin.gitUrl : origin.httpUrl;
    const v1 = await origin.commit({ 'app.yaml': 'version: 1\n' }, 'v1');
    await origin.tag('v1.0.0', v1);
    const v11 = await origin.commit({ 'app.yaml': 'version: 1.1\n' });
    await origin.tag('1.1.0', v11, { annotated: false });
    const v2 = await origin.commit({ 'app.yaml': 'version: 2\n' }, 'v2');
    await origin.tag('v2.0.0', v2);
    const feature = await origin.commit({ 'app.yaml': 'feature\n' }, 'feature', 'feature/x');
    const sources = repositories(t);

    assert.deepEqual(await sources.resolve(url, undefined), { commit: v2, refName: 'refs/heads/main' });
    assert.deepEqual(await sources.resolve(url, { branch: 'main' }), { commit: v2, refName: 'refs/heads/main' });
    assert.deepEqual(await sources.resolve(url, { branch: 'feature/x' }), { commit: feature, refName: 'refs/heads/feature/x' });
    assert.deepEqual(
      await sources.resolve(url, { tag: 'v1.0.0' }),
      { commit: v1, refName: 'refs/tags/v1.0.0' },
      'an annotated tag peels to its commit',
    );
    assert.deepEqual(await sources.resolve(url, { semver: '>=1.0.0 <2' }), { commit: v11, refName: 'refs/tags/1.1.0' });
    assert.deepEqual(await sources.resolve(url, { semver: '*' }), { commit: v2, refName: 'refs/tags/v2.0.0' });
    assert.deepEqual(await sources.resolve(url, { commit: v1 }), { commit: v1, refName: v1 });
  });

  test(`over ${transport}://, checkout writes the tree of the commit without .git and follows new commits`, async (t) => {
    const origin = await remote(t);
    const url = transport === 'git' ? origin.gitUrl : origin.httpUrl;
    await origin.commit({ 'deploy/app.yaml': 'kind: ConfigMap\n', 'old.yaml': 'old\n' });
    const sources = repositories(t);

    const first = await sources.resolve(url, { branch: 'main' });
    const into = scratch(t, 'wren-checkout-');
    assert.equal(await sources.checkout(url, { branch: 'main' }, first.commit, undefined, into), first.commit);
    assert.deepEqual(readdirSync(into).sort(), ['deploy', 'old.yaml']);
    assert.equal(readFileSync(join(into, 'deploy/app.yaml'), 'utf8'), 'kind: ConfigMap\n');

    const second = await origin.commit({ 'deploy/app.yaml': 'kind: Secret\n', 'old.yaml': null }, 'second');
    assert.deepEqual(await sources.resolve(url, { branch: 'main' }), { commit: second, refName: 'refs/heads/main' });
    const next = scratch(t, 'wren-checkout-');
    await sources.checkout(url, { branch: 'main' }, second, undefined, next);
    assert.deepEqual(readdirSync(next).sort(), ['deploy']);
    assert.equal(readFileSync(join(next, 'deploy/app.yaml'), 'utf8'), 'kind: Secret\n');
    assert.equal(existsSync(join(next, '.git')), false);
  });
}

test('a commit that is no longer a branch tip is checked out by its full or short SHA', async (t) => {
  const origin = await remote(t);
  const old = await origin.commit({ 'app.yaml': 'old\n' });
  const older = await origin.commit({ 'app.yaml': 'older\n' });
  await origin.commit({ 'app.yaml': 'new\n' });
  const sources = repositories(t);
  const into = scratch(t, 'wren-checkout-');
  await sources.checkout(origin.gitUrl, { branch: 'main' }, old, undefined, into);
  assert.equal(readFileSync(join(into, 'app.yaml'), 'utf8'), 'old\n');
  const short = scratch(t, 'wren-checkout-');
  assert.equal(await sources.checkout(origin.gitUrl, { branch: 'main' }, older.slice(0, 8), undefined, short), older);
  assert.equal(readFileSync(join(short, 'app.yaml'), 'utf8'), 'older\n');
});

test('an old server that serves no commit by SHA still yields older commits, through the history of the ref', async (t) => {
  const origin = await remote(t, { protocolV0Only: true });
  const rollbackTarget = await origin.commit({ 'app.yaml': 'v1\n' });
  for (let i = 2; i <= 5; i++) await origin.commit({ 'app.yaml': `v${i}\n` });
  const into = scratch(t, 'wren-checkout-');
  const sources = repositories(t);
  assert.equal(await sources.checkout(origin.httpUrl, { branch: 'main' }, rollbackTarget, undefined, into), rollbackTarget);
  assert.equal(readFileSync(join(into, 'app.yaml'), 'utf8'), 'v1\n');
  await assert.rejects(
    sources.checkout(origin.httpUrl, { branch: 'main' }, 'f'.repeat(40), undefined, scratch(t, 'wren-checkout-')),
    isFetchError(/commit f{40} was not found in the history of refs\/heads\/main/),
  );
});

test('GitSyncs that point at the same repository share one cache, also when they check out at once', async (t) => {
  const origin = await remote(t);
  const main = await origin.commit({ 'app.yaml': 'main\n' });
  const feature = await origin.commit({ 'app.yaml': 'feature\n' }, 'feature', 'feature');
  const cacheDir = scratch(t, 'wren-git-cache-');
  const sources = new GitRepositories({ cacheDir });
  const [intoA, intoB, intoC] = [scratch(t, 'wren-a-'), scratch(t, 'wren-b-'), scratch(t, 'wren-c-')];
  await Promise.all([
    sources.checkout(origin.gitUrl, { branch: 'main' }, main, undefined, intoA),
    sources.checkout(origin.gitUrl, { branch: 'feature' }, feature, undefined, intoB),
    sources.checkout(origin.gitUrl.replace(/\.git$/, '/'), { branch: 'main' }, main, undefined, intoC),
  ]);
  assert.equal(readFileSync(join(intoA, 'app.yaml'), 'utf8'), 'main\n');
  assert.equal(readFileSync(join(intoB, 'app.yaml'), 'utf8'), 'feature\n');
  assert.equal(readFileSync(join(intoC, 'app.yaml'), 'utf8'), 'main\n');
  assert.equal(readdirSync(join(cacheDir, 'repos')).length, 1);

  const other = await remote(t);
  const otherCommit = await other.commit({ 'app.yaml': 'other\n' });
  await sources.checkout(other.httpUrl, undefined, otherCommit, undefined, scratch(t, 'wren-d-'));
  assert.equal(readdirSync(join(cacheDir, 'repos')).length, 2, 'another repository gets its own cache');
});

test('basic auth: the right password works, a wrong one fails without the message repeating it', async (t) => {
  const origin = await remote(t, { auth: { username: 'bot', password: 'right-password-123' } });
  const commit = await origin.commit({ 'app.yaml': 'secret app\n' });
  const sources = repositories(t);

  assert.equal((await sources.resolve(origin.httpUrl, undefined, { username: 'bot', password: 'right-password-123' })).commit, commit);
  const into = scratch(t, 'wren-checkout-');
  await sources.checkout(origin.httpUrl, undefined, commit, { username: 'bot', password: 'right-password-123' }, into);
  assert.equal(readFileSync(join(into, 'app.yaml'), 'utf8'), 'secret app\n');

  const wrong = { username: 'bot', password: 'wrong-password-456' };
  const noLeak = (error: unknown) =>
    error instanceof SyncError &&
    error.stage === 'fetch' &&
    /refused the credentials/.test(error.message) &&
    !error.message.includes('wrong-password-456') &&
    !error.message.includes(Buffer.from('bot:wrong-password-456').toString('base64'));
  await assert.rejects(sources.resolve(origin.httpUrl, undefined, wrong), noLeak);
  await assert.rejects(sources.checkout(origin.httpUrl, undefined, commit, wrong, scratch(t, 'wren-checkout-')), noLeak);
  await assert.rejects(sources.resolve(origin.httpUrl, undefined), isFetchError(/spec.secretRef gives none/));

  const inUrl = origin.httpUrl.replace('http://', 'http://bot:wrong-password-456@');
  await assert.rejects(
    sources.resolve(inUrl, undefined),
    (error: unknown) => error instanceof SyncError && !error.message.includes('wrong-password-456'),
  );
});

test('what the remote lacks is said plainly', async (t) => {
  const origin = await remote(t);
  await origin.commit({ 'app.yaml': 'x\n' });
  const sources = repositories(t);
  await assert.rejects(
    sources.resolve(origin.gitUrl, { branch: 'nope' }),
    isFetchError(/branch "nope" was not found in git:\/\/127\.0\.0\.1:\d+\/repo\.git/),
  );
  await assert.rejects(sources.resolve(origin.httpUrl, { semver: '>=5' }), isFetchError(/no tag of .* matches the semver range ">=5"/));
  await assert.rejects(
    sources.resolve(origin.gitUrl.replace('repo.git', 'missing.git'), undefined),
    isFetchError(/cannot list the refs of .*(not found|does not appear|no such)/i),
  );
  await assert.rejects(
    sources.checkout(origin.gitUrl, { branch: 'main' }, 'f'.repeat(40), undefined, scratch(t, 'wren-checkout-')),
    isFetchError(/commit f{40} was not found in the history of refs\/heads\/main/),
  );
});

test('URLs and refs that start with "-" are refused before git runs', async (t) => {
  const origin = await remote(t);
  await origin.commit({ 'app.yaml': 'x\n' });
  const sources = repositories(t);
  const marker = join(scratch(t, 'wren-marker-'), 'pwned');
  await assert.rejects(sources.resolve(`--upload-pack=touch ${marker}`, undefined), isFetchError(/starts with "-"/));
  await assert.rejects(
    sources.resolve(origin.gitUrl, { branch: `--upload-pack=touch ${marker}` }),
    isFetchError(/not a valid Git branch name/),
  );
  await assert.rejects(sources.resolve(origin.gitUrl, { tag: '-t' }), isFetchError(/not a valid Git tag name/));
  await assert.rejects(
    sources.resolve(`ext::sh -c touch% ${marker}`, undefined),
    isFetchError(/contains whitespace or control characters/),
  );
  await assert.rejects(sources.resolve(`ext::touch%${marker}`, undefined), isFetchError(/is not an https/));
  assert.equal(existsSync(marker), false);
});

test('file:// works when asked for; a bare path is refused', async (t) => {
  const origin = await remote(t);
  const commit = await origin.commit({ 'app.yaml': 'local\n' });
  const sources = repositories(t);
  const into = scratch(t, 'wren-checkout-');
  assert.equal((await sources.resolve(`file://${origin.path}`, undefined)).commit, commit);
  await sources.checkout(`file://${origin.path}`, undefined, commit, undefined, into);
  assert.equal(readFileSync(join(into, 'app.yaml'), 'utf8'), 'local\n');
  await assert.rejects(sources.resolve(origin.path, undefined), isFetchError(/is not an https/));
});

test('ssh: the key and known_hosts from the Secret work, and host keys are always checked', async (t) => {
  const origin = await remote(t, { ssh: true });
  assert.ok(origin.ssh);
  const { url, identity, knownHosts } = origin.ssh;
  const commit = await origin.commit({ 'app.yaml': 'over ssh\n' });
  const sources = repositories(t);

  assert.deepEqual(await sources.resolve(url, { branch: 'main' }, { identity, knownHosts }), { commit, refName: 'refs/heads/main' });
  const into = scratch(t, 'wren-checkout-');
  await sources.checkout(url, { branch: 'main' }, commit, { identity, knownHosts }, into);
  assert.equal(readFileSync(join(into, 'app.yaml'), 'utf8'), 'over ssh\n');

  await assert.rejects(sources.resolve(url, undefined, { identity }), isFetchError(/known_hosts/));
  const strangerKey = knownHosts.replace(
    /ssh-ed25519 \S+/,
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
  );
  await assert.rejects(
    sources.resolve(url, undefined, { identity, knownHosts: strangerKey }),
    isFetchError(/host key|Host key verification failed/i),
  );
  await assert.rejects(
    sources.resolve(url, undefined, { knownHosts }),
    (error: unknown) => error instanceof SyncError && /Permission denied/.test(error.message) && !error.message.includes('PRIVATE KEY'),
  );
});

test('credentials never reach git argv or the cache directory', async (t) => {
  const origin = await remote(t, { auth: { username: 'bot', password: 'argv-password-789' } });
  const commit = await origin.commit({ 'app.yaml': 'x\n' });
  const tools = scratch(t, 'wren-git-wrapper-');
  const argvLog = join(tools, 'argv.log');
  // A git that writes down every argument it is given, then does the real work.
  writeFileSync(join(tools, 'git'), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${argvLog}'\nexec git "$@"\n`, { mode: 0o755 });
  const cacheDir = scratch(t, 'wren-git-cache-');
  const sources = new GitRepositories({ cacheDir, git: join(tools, 'git') });

  await sources.resolve(origin.httpUrl, undefined, { username: 'bot', password: 'argv-password-789' });
  await sources.checkout(
    origin.httpUrl.replace('http://', 'http://bot:argv-password-789@'),
    undefined,
    commit,
    undefined,
    scratch(t, 'wren-checkout-'),
  );
  const argv = readFileSync(argvLog, 'utf8');
  assert.match(argv, /ls-remote/);
  assert.ok(!argv.includes('argv-password-789'), 'password in argv');
  assert.ok(!argv.includes(Buffer.from('bot:argv-password-789').toString('base64')), 'Basic header in argv');
  for (const file of filesUnder(cacheDir)) {
    assert.ok(!readFileSync(file).includes('argv-password-789'), `password in ${file}`);
  }
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
