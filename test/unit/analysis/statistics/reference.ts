// Shared by the statistics tests: the scipy reference values (fixtures/reference.json, written by
// fixtures/reference.py) and a relative-tolerance comparison.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** reference.json spells infinities as strings, JSON having no number for them. */
function revive(_key: string, value: unknown): unknown {
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

export const reference: any = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8'), revive);

/** actual equals expected within a relative tolerance; absolute <= absoluteFloor is accepted only when expected is 0. */
export function assertClose(actual: number, expected: number, relative: number, label: string, absoluteFloor = 0): void {
  if (actual === expected) return;
  const error = Math.abs(actual - expected);
  const ok = expected === 0 ? error <= absoluteFloor : error <= relative * Math.abs(expected);
  assert.ok(ok, `${label}: got ${actual}, expected ${expected} (relative error ${error / Math.abs(expected)})`);
}
