import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { templateSource } from '../../../src/gitsync/render/helm-render.ts';
import { explainToolFailure, locateProgram, toolEnvironment } from '../../../src/gitsync/render/tool-process.ts';

test('tool errors show repository paths, without helm flag hints, and stay short', () => {
  const root = '/tmp/wren-checkout-1';
  const stderr = `Error: accumulating resources from '${root}/apps/missing.yaml' in ${root}\n\nUse --debug flag to render out invalid YAML\n`;
  assert.equal(explainToolFailure(stderr, root), "accumulating resources from 'apps/missing.yaml' in .");
  const long = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join('\n');
  const shown = explainToolFailure(long, root).split('\n');
  assert.equal(shown.length, 21);
  assert.equal(shown.at(-1), '... (10 more lines)');
  assert.equal(explainToolFailure('', root), 'failed without a message');
});

test("helm's # Source comments become paths in the repository", () => {
  assert.equal(templateSource('---\n# Source: shop/templates/deploy.yaml\n', 'shop', 'charts/shop'), 'charts/shop/templates/deploy.yaml');
  assert.equal(
    templateSource('# Source: shop/charts/redis/templates/svc.yaml\n', 'shop', 'charts/shop'),
    'charts/shop/charts/redis/templates/svc.yaml',
  );
  assert.equal(templateSource('# Source: shop/crds/crd.yaml\n', 'shop', ''), 'crds/crd.yaml');
  assert.equal(templateSource('# a comment of the template itself\n', 'shop', 'charts/shop'), undefined);
});

test('a bare tool name is found on the operator PATH, not the minimal one the tool runs with', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wren-locate-'));
  try {
    await writeFile(join(dir, 'kustomize'), '#!/bin/sh\n');
    await chmod(join(dir, 'kustomize'), 0o755);
    assert.equal(locateProgram('kustomize', `/nonexistent:${dir}`), join(dir, 'kustomize'));
    assert.equal(locateProgram('no-such-tool', dir), 'no-such-tool');
    assert.equal(locateProgram('/opt/bin/helm', dir), '/opt/bin/helm');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("tools run with their own HOME and none of the operator's variables", () => {
  const env = toolEnvironment('/tmp/wren-render-x');
  assert.equal(env.HOME, '/tmp/wren-render-x');
  assert.equal(env.KUBECONFIG, undefined);
  assert.ok(env.HELM_CACHE_HOME?.startsWith('/tmp/wren-render-x/'));
});
