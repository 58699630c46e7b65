// The real sops and age for tests: sops from the project's Go-built cache, age from Debian.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries } from '../../src/localcluster/build-binaries.ts';
import { runChecked } from '../../src/localcluster/run-command.ts';
import { ensureDebianPackage } from '../../src/localcluster/debian-packages.ts';

export interface AgeKey {
  identity: string;
  recipient: string;
}

export async function newAgeKey(): Promise<AgeKey> {
  await ensureDebianPackage('/usr/bin/age-keygen', 'age');
  const dir = await mkdtemp(join(tmpdir(), 'wren-age-'));
  try {
    await runChecked('age-keygen', ['-o', join(dir, 'key.txt')]);
    const identity = (await readFile(join(dir, 'key.txt'), 'utf8')).split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-')) ?? '';
    const recipient = (await runChecked('age-keygen', ['-y'], { input: `${identity}\n` })).trim();
    return { identity, recipient };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Encrypts a YAML manifest's data/stringData for the recipient with the real sops. */
export async function sopsEncrypt(yamlText: string, recipient: string): Promise<string> {
  const sops = (await ensureBinaries(() => undefined)).sops as string;
  const dir = await mkdtemp(join(tmpdir(), 'wren-sops-'));
  try {
    const file = join(dir, 'secret.yaml');
    await writeFile(file, yamlText);
    await runChecked(sops, ['--encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', '--in-place', file], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    });
    return await readFile(file, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
