import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from '../../src/api/duration.ts';

test('durations parse the way Go and Flagger users write them', () => {
  const cases: [string, number | undefined][] = [
    ['30s', 30_000],
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2m30s', 150_000],
    ['', undefined],
    ['10', undefined],
    ['1d', undefined],
    ['-1s', undefined],
    ['1m ', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseDuration(text), expected, text);
});

test('formatDuration picks the largest whole unit', () => {
  assert.equal(formatDuration(3_600_000), '1h');
  assert.equal(formatDuration(120_000), '2m');
  assert.equal(formatDuration(90_000), '90s');
  assert.equal(formatDuration(250), '250ms');
});
