// The sample release npm start installs: a Canary the operator accepts, releases that change only
// the image and the demo app's faults, and next steps that offer every release file there is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANARY } from '../../../src/api/kinds.ts';
import { validateResource } from '../../../src/api/validation/validate-resource.ts';
import { releasePatch, SAMPLE_RELEASES, sampleAppObjects } from '../../../src/localcluster/sample-app/manifests.ts';
import { nextSteps } from '../../../src/localcluster/sample-app/next-steps.ts';

test("the sample Canary is valid and uses Traefik's built-in checks", () => {
  const canary = sampleAppObjects().find((object) => (object as { kind: string }).kind === 'Canary') as {
    spec: { provider: string; analysis: { metrics: { name: string; templateRef?: unknown }[] } };
  };
  assert.deepEqual(validateResource(CANARY, canary, { defaultProvider: 'kubernetes' }), []);
  assert.equal(canary.spec.provider, 'traefik');
  assert.deepEqual(
    canary.spec.analysis.metrics.map((metric) => [metric.name, metric.templateRef]),
    [
      ['request-success-rate', undefined],
      ['request-duration', undefined],
    ],
  );
});

test("a release patch sets the image and both of the demo app's faults, clearing the ones it does not set", () => {
  assert.deepEqual(releasePatch('3.0.0', { DEMO_ERROR_RATE: '0.3' }), {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'ghcr.io/wren-dev/demo-app:3.0.0',
              env: [
                { name: 'DEMO_ERROR_RATE', value: '0.3' },
                { name: 'DEMO_LATENCY_MS', value: '0' },
              ],
            },
          ],
        },
      },
    },
  });
});

test('the next steps offer every release file, with the paths they were given', () => {
  const text = nextSteps({
    binDir: '/p/.wren/bin',
    kubeconfig: '/p/.wren/cluster/kubeconfig',
    router: 'http://127.0.0.1:4000',
    prometheus: 'http://127.0.0.1:9090',
    patchDir: '/p/.wren/sample-app',
  });
  assert.match(text, /export PATH=\/p\/\.wren\/bin:\$PATH KUBECONFIG=\/p\/\.wren\/cluster\/kubeconfig/);
  assert.match(text, /curl -H 'Host: demo\.localhost' http:\/\/127\.0\.0\.1:4000\//);
  for (const file of Object.keys(SAMPLE_RELEASES)) {
    assert.ok(text.includes(`kubectl -n demo patch deployment web --patch-file /p/.wren/sample-app/${file}`), file);
  }
  assert.match(text, /wren status web -n demo --until-done/);
});
