// A failed API request, carrying what the API server said (its Status object) so callers can
// branch on reason and users see the server's own message, which names the offending field.
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: StatusCause[] };
}

export class KubeApiError extends Error {
  readonly statusCode: number;
  readonly reason: string;
  readonly status: KubeStatus | undefined;

  constructor(method: string, path: string, statusCode: number, status: KubeStatus | undefined, text: string) {
    super(`${method} ${path}: ${statusCode} ${status?.reason ?? ''} ${status?.message ?? text}`.replace(/\s+/g, ' ').trim());
    this.name = 'KubeApiError';
    this.statusCode = statusCode;
    this.reason = status?.reason ?? '';
    this.status = status;
  }
}

export const isNotFound = (error: unknown) => error instanceof KubeApiError && error.statusCode === 404;
export const isConflict = (error: unknown) => error instanceof KubeApiError && error.statusCode === 409;
export const isGone = (error: unknown) => error instanceof KubeApiError && error.statusCode === 410;
export const isAlreadyExists = (error: unknown) =>
  error instanceof KubeApiError && error.statusCode === 409 && error.reason === 'AlreadyExists';
