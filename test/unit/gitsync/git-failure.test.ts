import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gitFailureReason } from '../../../src/gitsync/source/git-failure.ts';

test('keeps the line that says why and drops hints and progress', () => {
  const stderr = [
    'remote: Counting objects: 100% (3/3), done.',
    "hint: Using 'master' as the name for the initial branch.",
    "fatal: couldn't find remote ref refs/heads/nope",
    '',
  ].join('\n');
  assert.equal(gitFailureReason(stderr, [], false), "fatal: couldn't find remote ref refs/heads/nope");
  assert.equal(
    gitFailureReason("remote: Repository not found.\nfatal: repository 'https://github.com/acme/nope/' not found\n", [], false),
    "remote: Repository not found.; fatal: repository 'https://github.com/acme/nope/' not found",
  );
  assert.equal(gitFailureReason('something odd\nlast words\n', [], false), 'last words');
});

test('never repeats a secret or the user info of a URL', () => {
  const stderr = "fatal: Authentication failed for 'https://bot:hunter22@git.example/app.git/'\nerror: token ghp_XYZ123 rejected\n";
  const reason = gitFailureReason(stderr, ['hunter22', 'ghp_XYZ123'], true);
  assert.ok(!reason.includes('hunter22') && !reason.includes('ghp_XYZ123') && !reason.includes('bot:'), reason);
  assert.match(reason, /Authentication failed/);
});

test('a prompt git could not show becomes a sentence about spec.secretRef', () => {
  const stderr = "fatal: could not read Username for 'http://127.0.0.1:4000': terminal prompts disabled\n";
  assert.match(gitFailureReason(stderr, [], true), /server refused the credentials from spec.secretRef/);
  assert.match(gitFailureReason(stderr, [], false), /spec.secretRef gives none/);
});

test('a long reason is cut after scrubbing, so no part of a secret survives the cut', () => {
  const secret = 'x'.repeat(50);
  const reason = gitFailureReason(`fatal: ${'a'.repeat(380)}${secret}\n`, [secret], false);
  assert.ok(!reason.includes('xxxxx'), reason);
  assert.ok(reason.length <= 401);
});
