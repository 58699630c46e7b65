import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test("the Helm chart's appVersion, its default image tag, is the operator's version in package.json", () => {
  const chart = parse(read('charts/wren/Chart.yaml')) as { appVersion: string };
  const values = parse(read('charts/wren/values.yaml')) as { image: { tag: string } };
  assert.equal(chart.appVersion, (JSON.parse(read('package.json')) as { version: string }).version);
  assert.equal(values.image.tag, '', 'the image tag defaults to appVersion');
});
