import { createHash, timingSafeEqual } from 'node:crypto';

/** Equal strings, in a time that reveals neither their content nor their length (webhook secrets). */
export function safeEqual(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
