// Bearer tokens from registry token servers, kept until shortly before they expire so that a poll of
// many tags costs one token request, not one per request.

/** Per the distribution token spec, a token without expires_in lives 60 seconds. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60;
// Drop a token a little early: it must still be valid when the registry checks it.
const EXPIRY_MARGIN_MS = 5_000;

export interface TokenKey {
  realm: string;
  service: string;
  scope: string;
}

export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  get(key: TokenKey): string | undefined {
    const id = cacheId(key);
    const entry = this.tokens.get(id);
    if (!entry) return undefined;
    if (this.now() < entry.expiresAt) return entry.token;
    this.tokens.delete(id);
    return undefined;
  }

  set(key: TokenKey, token: string, expiresInSeconds: number | undefined): void {
    this.tokens.set(cacheId(key), { token, expiresAt: this.now() + tokenLifetimeMs(expiresInSeconds) });
  }

  delete(key: TokenKey): void {
    this.tokens.delete(cacheId(key));
  }
}

/** How long to use a token: its expires_in (default 60s) less a margin, never below zero. */
export function tokenLifetimeMs(expiresInSeconds: number | undefined): number {
  const seconds =
    typeof expiresInSeconds === 'number' && Number.isFinite(expiresInSeconds) && expiresInSeconds > 0
      ? expiresInSeconds
      : DEFAULT_TOKEN_LIFETIME_SECONDS;
  const lifetime = seconds * 1000;
  // A short-lived token keeps half its life as margin rather than being dropped at once.
  return Math.max(0, lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 2));
}

function cacheId({ realm, service, scope }: TokenKey): string {
  return JSON.stringify([realm, service, scope]);
}
