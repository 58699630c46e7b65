// The load tester's token from a file, normally a mounted Secret. Kubernetes replaces a Secret's
// files when the Secret changes, so the file is looked at (stat) on every request and read again
// when it changed: a rotated token takes effect without a restart, and a steady one costs no reads.
import { readFile, stat } from 'node:fs/promises';

export class TokenFile {
  private readonly path: string;
  private seen: { version: string; token: string } | undefined;

  constructor(path: string) {
    this.path = path;
  }

  /** The token (surrounding whitespace removed); throws when the file cannot be read or is empty. */
  async read(): Promise<string> {
    const info = await stat(this.path);
    const version = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    if (this.seen?.version === version) return this.seen.token;
    const token = (await readFile(this.path, 'utf8')).trim();
    if (!token) throw new Error(`the token file ${this.path} is empty`);
    this.seen = { version, token };
    return token;
  }
}
