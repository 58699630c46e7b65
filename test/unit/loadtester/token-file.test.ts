// The token file: read again when it changes, as Kubernetes updates a mounted Secret.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { TokenFile } from '../../../src/loadtester/token-file.ts';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'wren-token-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a token replaced the way Kubernetes updates a Secret volume (symlink swap) is read again', async (t) => {
  const dir = tempDir(t);
  const writeVersion = (version: string, token: string) => {
    mkdirSync(join(dir, version));
    writeFileSync(join(dir, version, 'token'), token);
    symlinkSync(version, join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  };
  writeVersion('..v1', 'first\n');
  symlinkSync('..data/token', join(dir, 'token'));
  const file = new TokenFile(join(dir, 'token'));
  assert.equal(await file.read(), 'first');
  writeVersion('..v2', 'second\n');
  assert.equal(await file.read(), 'second');
});

test('a missing or empty token file fails the read, naming the file', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'token');
  await assert.rejects(new TokenFile(path).read(), /ENOENT.*token/);
  writeFileSync(path, ' \n');
  await assert.rejects(new TokenFile(path).read(), new RegExp(`the token file ${path} is empty`));
});
