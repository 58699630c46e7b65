// GitWriteBack against real remotes (git http-backend, git daemon): it commits and pushes an edit,
// creates a separate branch, re-derives the edit when the branch moved meanwhile (also when writers
// race each other inside the server), and reports a refused push without leaking the credentials.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SyncError } from '../../src/gitsync/sync-error.ts';
import { GitWriteBack, type WriteBackRequest } from '../../src/imagepolicy/git-write-back.ts';
import { startGitRemote, type GitRemote } from '../helpers/git-remote.ts';

const author = { name: 'Image Bot', email: 'bot@example.test' };

/** An edit that sets the tag in values.yaml, as the real write-back would. */
function setTag(tag: string): WriteBackRequest['edit'] {
  return async (workTree) => {
    const file = join(workTree, 'values.yaml');
    const before = readFileSync(file, 'utf8');
    const after = before.replace(/tag: [^ \n]*/, `tag: ${tag}`);
    if (after === before) return [];
    writeFileSync(file, after);
    return ['values.yaml'];
  };
}

describe('git write-back', () => {
  let remote: GitRemote;
  let cacheDir: string;
  let writer: GitWriteBack;
  const request = (overrides: Partial<WriteBackRequest>): WriteBackRequest => ({
    url: remote.httpUrl,
    baseBranch: 'main',
    pushBranch: 'main',
    edit: setTag('1.1.0'),
    message: 'Update app to 1.1.0',
    author,
    workKey: 'apps/app',
    ...overrides,
  });

  before(async () => {
    remote = await startGitRemote();
    cacheDir = mkdtempSync(join(tmpdir(), 'wren-write-back-'));
    writer = new GitWriteBack({ cacheDir });
    await remote.commit({ 'values.yaml': '# app values\nimage:\n  tag: 1.0.0 # keep me\n', 'other.yaml': 'a: 1\n' }, 'initial');
  });
  after(async () => {
    await remote.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('commits the edit on top of the branch and pushes it, with the configured author and message', async () => {
    const base = await remote.head();
    const result = await writer.write(request({}));
    assert.equal(result.commit, await remote.head());
    assert.deepEqual(result.files, ['values.yaml']);
    assert.equal(await remote.show('values.yaml'), '# app values\nimage:\n  tag: 1.1.0 # keep me\n');
    assert.equal(await remote.show('other.yaml'), 'a: 1\n');
    assert.deepEqual(await remote.commitInfo(), {
      author: author.name,
      email: author.email,
      message: 'Update app to 1.1.0',
      parents: [base],
    });
  });

  it('pushes nothing when the files already hold the update', async () => {
    const head = await remote.head();
    const result = await writer.write(request({}));
    assert.equal(result.commit, undefined);
    assert.equal(await remote.head(), head);
  });

  it('re-derives the edit on the new tip when someone pushed in between', async () => {
    let raced = false;
    const edit: WriteBackRequest['edit'] = async (workTree, session) => {
      if (!raced) {
        raced = true; // a developer pushes while Wren is editing
        await remote.commit({ 'other.yaml': 'a: 2\n' }, 'concurrent change');
      }
      return setTag('1.2.0')(workTree, session);
    };
    const result = await writer.write(request({ url: remote.gitUrl, edit, message: 'Update app to 1.2.0' }));
    assert.equal(result.attempts, 2);
    assert.equal((await remote.commitInfo(`${result.commit}~1`)).message, 'concurrent change');
    assert.equal(await remote.show('other.yaml'), 'a: 2\n');
    assert.equal(await remote.show('values.yaml'), '# app values\nimage:\n  tag: 1.2.0 # keep me\n');
  });

  it('writers pushing to one branch at the same time all land, each on top of the others', async () => {
    const writers = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      writer.write(
        request({
          url: remote.gitUrl,
          workKey: `apps/${name}`,
          message: `Update ${name}`,
          edit: async (workTree) => {
            writeFileSync(join(workTree, `${name}.txt`), `${name}\n`);
            return [`${name}.txt`];
          },
        }),
      ),
    );
    const results = await Promise.all(writers);
    assert.ok(
      results.every((result) => result.commit),
      'every writer pushed a commit',
    );
    for (const name of ['a', 'b', 'c', 'd', 'e']) assert.equal(await remote.show(`${name}.txt`), `${name}\n`);
    assert.equal(await remote.show('values.yaml'), '# app values\nimage:\n  tag: 1.2.0 # keep me\n');
  });

  it('creates a separate branch from the base branch, then keeps building on it', async () => {
    const main = await remote.head();
    const first = await writer.write(request({ pushBranch: 'image-updates', edit: setTag('2.0.0') }));
    assert.equal(await remote.head('image-updates'), first.commit);
    assert.deepEqual((await remote.commitInfo('refs/heads/image-updates')).parents, [main]);
    assert.equal(await remote.head(), main, 'main is untouched');
    const second = await writer.write(request({ pushBranch: 'image-updates', edit: setTag('2.1.0') }));
    assert.deepEqual((await remote.commitInfo('refs/heads/image-updates')).parents, [first.commit]);
    assert.equal(await remote.head('image-updates'), second.commit);
    assert.equal(await remote.show('values.yaml', 'image-updates'), '# app values\nimage:\n  tag: 2.1.0 # keep me\n');
  });
});

describe('git write-back with credentials', () => {
  let remote: GitRemote;
  let cacheDir: string;
  const auth = { username: 'bot', password: 'push-secret-9f3a' };

  before(async () => {
    remote = await startGitRemote({ auth });
    cacheDir = mkdtempSync(join(tmpdir(), 'wren-write-back-'));
    await remote.commit({ 'values.yaml': 'image:\n  tag: 1.0.0\n' }, 'initial');
  });
  after(async () => {
    await remote.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const write = (credentials: WriteBackRequest['credentials']) =>
    new GitWriteBack({ cacheDir }).write({
      url: remote.httpUrl,
      ...(credentials ? { credentials } : {}),
      baseBranch: 'main',
      pushBranch: 'main',
      edit: setTag('1.0.1'),
      message: 'Update',
      author,
      workKey: 'apps/app',
    });

  it('pushes with the GitSync credentials', async () => {
    const result = await write(auth);
    assert.equal(result.commit, await remote.head());
    assert.equal(await remote.show('values.yaml'), 'image:\n  tag: 1.0.1\n');
  });

  it('reports refused credentials without the password', async () => {
    await assert.rejects(write({ username: 'bot', password: 'wrong-password-77' }), (error: unknown) => {
      assert.ok(error instanceof SyncError);
      assert.equal(error.stage, 'push');
      assert.match(error.message, /authentication failed/);
      assert.doesNotMatch(error.message, /wrong-password-77/);
      return true;
    });
  });
});
