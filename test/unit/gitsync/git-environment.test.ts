import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseEnvironment, gitEnvironment, gitSafetyOptions, shellQuote, sshCommand } from '../../../src/gitsync/source/git-environment.ts';
import { parseRepositoryUrl } from '../../../src/gitsync/source/repository-url.ts';
import { SyncError } from '../../../src/gitsync/sync-error.ts';

function dirs(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(join(tmpdir(), 'wren-git-env-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return { home: root, temp: root };
}

test('every git run forbids ext:: and allows the file transport only for file:// URLs', () => {
  assert.deepEqual(gitSafetyOptions(parseRepositoryUrl('https://git.example/app')).slice(0, 4), [
    '-c',
    'protocol.ext.allow=never',
    '-c',
    'protocol.file.allow=never',
  ]);
  assert.ok(gitSafetyOptions(parseRepositoryUrl('file:///srv/app.git')).includes('protocol.file.allow=always'));
});

test("no git, ssh or home setting of the operator's own environment reaches git", () => {
  const env = baseEnvironment('/private/home', {
    PATH: '/usr/bin',
    HOME: '/root',
    GIT_DIR: '/x',
    GIT_SSH_COMMAND: 'evil',
    SSH_AUTH_SOCK: '/agent',
    https_proxy: 'http://proxy:3128',
  });
  assert.equal(env.HOME, '/private/home');
  assert.equal(env.GIT_CONFIG_NOSYSTEM, '1');
  assert.equal(env.GIT_TERMINAL_PROMPT, '0');
  assert.equal(env.https_proxy, 'http://proxy:3128');
  assert.equal(env.GIT_DIR, undefined);
  assert.equal(env.GIT_SSH_COMMAND, undefined);
  assert.equal(env.SSH_AUTH_SOCK, undefined);
});

test('http(s) credentials travel as an Authorization header in environment config only', async (t) => {
  const url = parseRepositoryUrl('https://git.example/app.git');
  const basic = await gitEnvironment(url, { username: 'bot', password: 's3cret' }, dirs(t));
  assert.equal(basic.env.GIT_CONFIG_COUNT, '1');
  assert.equal(basic.env.GIT_CONFIG_KEY_0, 'http.extraHeader');
  assert.equal(basic.env.GIT_CONFIG_VALUE_0, `Authorization: Basic ${Buffer.from('bot:s3cret').toString('base64')}`);
  const bearer = await gitEnvironment(url, { bearerToken: 'tok' }, dirs(t));
  assert.equal(bearer.env.GIT_CONFIG_VALUE_0, 'Authorization: Bearer tok');
  const inUrl = await gitEnvironment(parseRepositoryUrl('https://bot:pw@git.example/app.git'), undefined, dirs(t));
  assert.equal(inUrl.env.GIT_CONFIG_VALUE_0, `Authorization: Basic ${Buffer.from('bot:pw').toString('base64')}`);
  const none = await gitEnvironment(url, undefined, dirs(t));
  assert.equal(none.env.GIT_CONFIG_COUNT, undefined);
  const overGit = await gitEnvironment(parseRepositoryUrl('git://git.example/app.git'), { username: 'bot', password: 's3cret' }, dirs(t));
  assert.equal(overGit.env.GIT_CONFIG_COUNT, undefined, 'git:// has no authentication to send a password to');
});

test('ssh is refused without known_hosts: host keys are always checked', async (t) => {
  await assert.rejects(
    gitEnvironment(parseRepositoryUrl('git@git.example:acme/app.git'), { identity: 'KEY' }, dirs(t)),
    (error: unknown) => error instanceof SyncError && /known_hosts/.test(error.message) && !error.message.includes('KEY'),
  );
  await assert.rejects(gitEnvironment(parseRepositoryUrl('ssh://git@git.example/acme/app.git'), undefined, dirs(t)), /known_hosts/);
});

test('ssh gets the key and known_hosts as private files that cleanup removes', async (t) => {
  const environment = await gitEnvironment(
    parseRepositoryUrl('ssh://git@git.example/acme/app'),
    { identity: 'PRIVATE KEY', knownHosts: 'git.example ssh-ed25519 AAAA' },
    dirs(t),
  );
  const command = environment.env.GIT_SSH_COMMAND ?? '';
  const identity = /-i (\S+)/.exec(command)?.[1] ?? '';
  const knownHosts = /UserKnownHostsFile=(\S+)/.exec(command)?.[1] ?? '';
  assert.equal(readFileSync(identity, 'utf8'), 'PRIVATE KEY\n', 'OpenSSH needs the final newline');
  assert.equal(readFileSync(knownHosts, 'utf8'), 'git.example ssh-ed25519 AAAA\n');
  assert.equal(statSync(identity).mode & 0o777, 0o600);
  assert.equal(statSync(join(identity, '..')).mode & 0o777, 0o700);
  await environment.cleanup();
  assert.equal(existsSync(identity), false);
});

test('the ssh command uses only the given key and host keys and never prompts', () => {
  assert.equal(
    sshCommand({ identity: '/tmp/k/identity', knownHosts: '/tmp/k/known_hosts' }),
    'ssh -F /dev/null -i /tmp/k/identity -o IdentitiesOnly=yes -o UserKnownHostsFile=/tmp/k/known_hosts -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentityAgent=none',
  );
  assert.match(sshCommand({ identity: "/tmp/it's/identity", knownHosts: '/tmp/k/kh' }), /-i '\/tmp\/it'\\''s\/identity'/);
  assert.throws(() => sshCommand({ knownHosts: '/tmp/with space/kh' }), /unsafe path/);
  assert.equal(shellQuote("a'b"), `'a'\\''b'`);
});
