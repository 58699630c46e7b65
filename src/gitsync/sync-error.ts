// A sync failure that says where it happened: the stage, and when known the file and the object.
// Its message is what status and events show, so it never carries a secret value.
export type SyncStage =
  | 'fetch'
  | 'render'
  | 'decrypt'
  | 'substitute'
  | 'placeholders'
  | 'validate'
  | 'authorize'
  | 'dry-run'
  | 'apply'
  | 'prune'
  | 'dependency'
  | 'push';

export class SyncError extends Error {
  readonly stage: SyncStage;
  readonly file: string | undefined;
  readonly object: string | undefined;
  /** The reason alone, without stage and location. */
  readonly detail: string;

  constructor(stage: SyncStage, message: string, where: { file?: string; object?: string } = {}) {
    const location = [where.file, where.object].filter(Boolean).join(': ');
    super(location ? `${stage} failed in ${location}: ${message}` : `${stage} failed: ${message}`);
    this.name = 'SyncError';
    this.stage = stage;
    this.file = where.file;
    this.object = where.object;
    this.detail = message;
  }
}
