// Runs the real sops binary on one encrypted document: ciphertext in on stdin, plaintext JSON out on
// stdout, never a file. sops checks the MAC, so a tampered document fails here.
// The child sees only the GitSync's age keys (SOPS_AGE_KEY) and a HOME with nothing in it, so it can
// never fall back to keys of the operator's own user.
import { spawn } from 'node:child_process';
import { isJsonObject, type JsonObject } from './sops-document.ts';
import type { SopsFormat } from './sops-source.ts';

export interface SopsRunOptions {
  sops: string;
  /** AGE-SECRET-KEY-1... identities. */
  ageKeys: string[];
  timeoutMs: number;
}

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** The decrypted document; rejects with a reason that carries no plaintext and no key. */
export async function decryptDocument(text: string, format: SopsFormat, options: SopsRunOptions): Promise<JsonObject> {
  const { code, stdout, stderr } = await runSops(text, format, options);
  if (code !== 0) throw new Error(explainFailure(stderr, code));
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error('sops printed something that is not a JSON document');
  }
  if (!isJsonObject(parsed)) throw new Error('sops printed something that is not an object');
  return parsed;
}

function runSops(text: string, format: SopsFormat, options: SopsRunOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  // With no file argument, `sops decrypt` reads stdin; /dev/stdin cannot be opened on Node's socket pipes.
  const args = ['decrypt', '--input-type', format, '--output-type', 'json'];
  const env = { SOPS_AGE_KEY: options.ageKeys.join('\n'), HOME: '/nonexistent', PATH: '/usr/bin:/bin' };
  return new Promise((resolve, reject) => {
    const child = spawn(options.sops, args, { env, cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let failure: Error | undefined;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(new Error(`sops did not finish within ${Math.ceil(options.timeoutMs / 1000)}s`)),
      options.timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop(new Error('sops printed more than 16 MiB'));
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64) stderr.push(chunk);
    });
    child.stdin.on('error', () => {}); // sops may exit before reading everything; its exit code says why
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run sops (${options.sops}): ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else resolve({ code: code ?? 1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    child.stdin.end(text);
  });
}

/**
 * What went wrong, in words a user can act on. sops's own message is kept for the cases not
 * recognised, with anything that could be key material or ciphertext cut out.
 */
export function explainFailure(stderr: string, code: number): string {
  // sops prints both MACs on a mismatch; the computed one is a digest of the plaintext, so it stays out.
  if (/MAC mismatch/i.test(stderr)) return 'the MAC does not match: the document was changed after it was encrypted';
  if (/cannot decrypt MAC/i.test(stderr)) return 'the MAC cannot be decrypted: it was changed after encryption';
  if (/failed to get the data key|no identity matched|0 successful groups/i.test(stderr)) {
    return 'none of the age keys in the decryption Secret can decrypt it';
  }
  if (/could not decrypt value|message authentication failed|invalid ciphertext/i.test(stderr)) {
    return 'a value cannot be decrypted: its ciphertext was changed';
  }
  const line =
    stderr
      .split('\n')
      .map((text) => text.trim())
      .find(Boolean) ?? '';
  return `sops exited with code ${code}${line ? `: ${redact(line).slice(0, 200)}` : ''}`;
}

function redact(text: string): string {
  return text
    .replace(/ENC\[[^\]]*\]/g, 'ENC[…]')
    .replace(/AGE-SECRET-KEY-1[0-9A-Z]+/gi, 'AGE-SECRET-KEY-…')
    .replace(/[A-Za-z0-9+/=]{32,}/g, '…');
}
