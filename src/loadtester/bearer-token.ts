// Whether a request carries the load tester's token as Authorization: Bearer <token>. The comparison
// takes the same time whatever the given token is (safeEqual), so timing reveals nothing of it.
import { safeEqual } from '../server/safe-equal.ts';

/** The token of an Authorization header in the Bearer scheme (any case), or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  return token || undefined;
}

/** True only for the expected token; an empty expected token matches nothing. */
export function carriesToken(authorization: string | undefined, expected: string): boolean {
  const given = bearerToken(authorization);
  return given !== undefined && expected !== '' && safeEqual(given, expected);
}
