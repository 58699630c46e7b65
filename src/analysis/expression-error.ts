// The error of a condition that cannot be used: its message says what is wrong, after the field name.
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}
