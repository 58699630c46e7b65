// Errors that say which registry refused what, in words an operator can act on. Anything a remote
// server wrote passes through withoutSecrets first, so a registry that echoes a token cannot leak it.

export class RegistryError extends Error {
  /** The HTTP status that the registry or its token server answered, if it answered at all. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'RegistryError';
    this.status = status;
  }
}

const MAX_DETAIL_LENGTH = 300;

/**
 * The useful part of an error body: distribution's {"errors":[{"code","message"}]} as
 * "CODE message; CODE message", a token server's {"error","error_description"}, or the start of
 * whatever text came back.
 */
export function describeErrorBody(body: string): string {
  const text = body.trim();
  if (text === '') return '';
  try {
    const parsed = JSON.parse(text) as { errors?: unknown; error?: unknown; error_description?: unknown; details?: unknown };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return shorten(
        parsed.errors
          .map((error: { code?: unknown; message?: unknown }) =>
            [error?.code, error?.message].filter((part) => typeof part === 'string' && part !== '').join(' '),
          )
          .filter((line) => line !== '')
          .join('; '),
      );
    }
    if (typeof parsed.error === 'string') {
      const detail =
        typeof parsed.error_description === 'string' ? parsed.error_description : typeof parsed.details === 'string' ? parsed.details : '';
      return shorten([parsed.error, detail].filter((part) => part !== '').join(': '));
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return shorten(text.replace(/\s+/g, ' '));
}

function shorten(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

/** Replaces every secret (password, token) found in a text; short strings are left alone as they match by chance. */
export function withoutSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
