// Where placeholder paths are looked up. One small interface, so a new store is one new file.
export interface ReadOptions {
  /** Vault KV engine version from the avp.kubernetes.io/kv-version annotation: "1" or "2". */
  kvVersion?: string;
}

export interface PlaceholderBackend {
  /** The key/value pairs stored at a path; rejects with PathNotFoundError when nothing is there. */
  read(path: string, version?: string, options?: ReadOptions): Promise<Record<string, unknown>>;
}

/** Nothing is stored at the path. Its message names the path only. */
export class PathNotFoundError extends Error {
  readonly path: string;

  constructor(path: string, detail = '') {
    super(`nothing found at path "${path}"${detail ? ` (${detail})` : ''}`);
    this.name = 'PathNotFoundError';
    this.path = path;
  }
}
