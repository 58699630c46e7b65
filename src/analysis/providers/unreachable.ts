// A metrics server that gives no usable answer (no connection, a timeout, a 5xx, something that is
// not its API) is unreachable: that says nothing about the canary, so it never counts as a failed
// check. A server that answers and refuses the query (bad query, wrong credentials) is a failure.
/** Reason of a check whose metrics server gave no usable answer: it holds the step, never fails it. */
export const UNREACHABLE = 'Unreachable';

export class ProviderUnreachableError extends Error {
  readonly address: string;

  constructor(address: string, message: string) {
    super(message);
    this.name = 'ProviderUnreachableError';
    this.address = address;
  }
}

/** 5xx and gateway answers say the server (or what is in front of it) cannot answer now. */
export function isUnavailableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}
