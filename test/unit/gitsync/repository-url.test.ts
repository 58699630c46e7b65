import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  normalizeRepositoryUrl,
  parseRepositoryUrl,
  redactUrl,
  repositoryCacheKey,
  repositoryUrlProblem,
} from '../../../src/gitsync/source/repository-url.ts';
import { SyncError } from '../../../src/gitsync/sync-error.ts';

test("GitHub's clone_url, ssh_url, html_url and git_url name one repository", () => {
  const spellings = [
    'https://github.com/acme/app.git',
    'git@github.com:acme/app.git',
    'https://github.com/acme/app',
    'git://github.com/acme/app.git',
    'ssh://git@github.com/acme/app',
    'ssh://git@GitHub.com:22/acme/app.git/',
    'https://token@github.com/acme/app/',
    'https://GITHUB.COM:443/acme/app.git',
  ];
  assert.deepEqual(new Set(spellings.map(normalizeRepositoryUrl)), new Set(['github.com/acme/app']));
  assert.equal(new Set(spellings.map(repositoryCacheKey)).size, 1);
});

test('ports other than the default, path case and other repositories stay apart', () => {
  assert.equal(normalizeRepositoryUrl('https://git.example:8443/Acme/App.git'), 'git.example:8443/Acme/App');
  assert.equal(normalizeRepositoryUrl('ssh://git@git.example:2222/acme/app'), 'git.example:2222/acme/app');
  assert.equal(normalizeRepositoryUrl('file:///srv/git/app.git'), '/srv/git/app');
  assert.notEqual(repositoryCacheKey('https://github.com/acme/app'), repositoryCacheKey('https://github.com/acme/other'));
});

test('what is not a repository URL normalises to undefined', () => {
  for (const url of ['', 'not a url', '/srv/git/app', 'ext::sh -c id', '-oProxyCommand=id', 'ftp://host/repo']) {
    assert.equal(normalizeRepositoryUrl(url), undefined, url);
  }
});

test('git is given the URL without the user info of an http(s) URL', () => {
  const parsed = parseRepositoryUrl('https://bot:s3cret@git.example/acme/app.git');
  assert.equal(parsed.forGit, 'https://git.example/acme/app.git');
  assert.equal(parsed.username, 'bot');
  assert.equal(parsed.password, 's3cret');
  assert.equal(parseRepositoryUrl('git@git.example:acme/app.git').forGit, 'git@git.example:acme/app.git');
  assert.equal(parseRepositoryUrl('git@git.example:acme/app.git').scheme, 'ssh');
});

test('URLs git could read as an option, a remote helper or a local path are refused', () => {
  const refused = [
    '-uhello',
    '--upload-pack=touch /tmp/x',
    'ext::sh -c touch% /tmp/x',
    'fd::17',
    '/srv/git/app',
    './app',
    'ssh://-oProxyCommand=id/acme/app',
    'ssh://-oProxyCommand=id@host/acme/app',
    '-oProxyCommand=id:acme/app',
    'ftp://git.example/app',
    'https://git.example/app\nx',
    'git:///app',
    // The URL parser drops tabs and newlines and trims spaces; git would not.
    ' https://git.example/app',
    'https://git.exa\tmple/app',
    'https://git.example/app\n',
    '\u202ehttps://git.example/app',
    'https://\ufeffgit.example/app',
    'git@-oProxyCommand:app',
    `https://${'a.'.repeat(200)}example/app`,
  ];
  for (const url of refused) {
    assert.throws(
      () => parseRepositoryUrl(url),
      (error: unknown) => error instanceof SyncError && error.stage === 'fetch',
      url,
    );
  }
});

test('a refused URL does not repeat its password', () => {
  assert.throws(
    () => parseRepositoryUrl('gopher://bot:s3cret@git.example/app'),
    (error: unknown) => error instanceof Error && !error.message.includes('s3cret') && error.message.includes('git.example'),
  );
});

test('redactUrl hides all user info of http(s) URLs and the password of others', () => {
  assert.equal(
    redactUrl("fatal: unable to access 'https://x-access-token:ghp_abc@github.com/acme/app/': 403"),
    "fatal: unable to access 'https://***@github.com/acme/app/': 403",
  );
  assert.equal(redactUrl('see https://ghp_abc@github.com/a'), 'see https://***@github.com/a');
  assert.equal(redactUrl('ssh://git@host/a and ssh://git:pw@host/b'), 'ssh://git@host/a and ssh://git:***@host/b');
  assert.equal(redactUrl('git@github.com:acme/app.git'), 'git@github.com:acme/app.git');
});

test('repositoryUrlProblem says why a URL is refused without repeating it', () => {
  assert.equal(repositoryUrlProblem('https://git.example/acme/app.git'), undefined);
  assert.equal(repositoryUrlProblem('git@github.com:acme/app.git'), undefined);
  assert.equal(repositoryUrlProblem('ssh://-oProxyCommand=touch/repo'), 'names a host that starts with "-"');
  assert.equal(repositoryUrlProblem('https://bot:s3cret@-x/app'), 'names a host that starts with "-"');
  assert.equal(repositoryUrlProblem(' https://git.example/app'), 'contains whitespace or control characters');
  assert.equal(repositoryUrlProblem(`https://${'a.'.repeat(200)}x/app`), 'names a host longer than 253 characters');
});

test('redactUrl reads a long text without URLs in one pass', () => {
  // The earlier pattern tried a scheme at every word: 40 KB of "a." took seconds, 250 KB minutes.
  const text = 'a.'.repeat(125_000);
  assert.equal(redactUrl(text), text);
  assert.equal(redactUrl(`${text} https://bot:pw@host/x`), `${text} https://***@host/x`);
});
