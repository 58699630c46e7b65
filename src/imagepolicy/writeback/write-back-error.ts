// A write-back that must not happen: the file does not parse, or the edited text would not read back
// as exactly the intended values. Nothing is written when this is thrown.
export class WriteBackError extends Error {
  readonly file: string | undefined;
  /** The reason alone, without the file. */
  readonly detail: string;

  constructor(message: string, file?: string) {
    super(file ? `image write-back to ${file}: ${message}` : `image write-back: ${message}`);
    this.name = 'WriteBackError';
    this.file = file;
    this.detail = message;
  }

  /** The same error, now naming the file: the editors see only text, their caller knows the path. */
  inFile(file: string): WriteBackError {
    return new WriteBackError(this.detail, file);
  }
}
