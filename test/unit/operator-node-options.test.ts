// The operator's V8 flags are written twice: in package.json (npm start, the benchmarks) and in the
// image's ENTRYPOINT. Both must say the same, or the benchmarks measure a process users never run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { imageConfig } from '../helpers/dockerfile-image.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const operatorImage = () => imageConfig(read('Dockerfile'));

test("the image's entrypoint gives node exactly the flags of package.json's config.operatorNodeOptions", () => {
  const flags = (JSON.parse(read('package.json')) as { config: { operatorNodeOptions: string } }).config.operatorNodeOptions.split(' ');
  assert.deepEqual(operatorImage().entrypoint, ['node', ...flags, 'dist/cli/main.js']);
});

test('no V8 flag of the operator goes through NODE_OPTIONS, which refuses --heap-growing-percent', () => {
  assert.equal(operatorImage().env.NODE_OPTIONS, undefined);
  assert.doesNotMatch((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start ?? '', /NODE_OPTIONS/);
});
