// The operator's V8 flags are written twice: in package.json (npm start, the benchmarks) and in the
// image's ENTRYPOINT. Both must say the same, or the benchmarks measure a process users never run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** The Dockerfile's last stage: the operator's image. */
const operatorStage = () =>
  read('Dockerfile')
    .split(/^FROM /m)
    .at(-1) ?? '';

test("the image's entrypoint gives node exactly the flags of package.json's config.operatorNodeOptions", () => {
  const flags = (JSON.parse(read('package.json')) as { config: { operatorNodeOptions: string } }).config.operatorNodeOptions.split(' ');
  const entrypoint = operatorStage().match(/^ENTRYPOINT (\[.*\])$/m)?.[1];
  assert.ok(entrypoint, 'the Dockerfile has an ENTRYPOINT in exec form');
  assert.deepEqual(JSON.parse(entrypoint), ['node', ...flags, 'dist/cli/main.js']);
});

test('no V8 flag of the operator goes through NODE_OPTIONS, which refuses --heap-growing-percent', () => {
  assert.doesNotMatch(operatorStage(), /^ENV .*NODE_OPTIONS/m);
  assert.doesNotMatch((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start ?? '', /NODE_OPTIONS/);
});
