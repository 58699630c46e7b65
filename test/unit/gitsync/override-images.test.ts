import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overrideImage, splitImage } from '../../../src/gitsync/render/image-reference.ts';
import { overrideImages } from '../../../src/gitsync/render/override-images.ts';
import type { RenderedObject } from '../../../src/gitsync/rendered-object.ts';

interface Container {
  image: string;
  env?: { value: string }[];
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
}
const cronJobPodSpec = (rendered: RenderedObject | undefined) =>
  (rendered?.object.spec as { jobTemplate: { spec: { template: { spec: PodSpec } } } }).jobTemplate.spec.template.spec;

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

test('image references split like kustomize splits them: a registry port is never a tag', () => {
  assert.deepEqual(splitImage('nginx'), { name: 'nginx', tag: '', digest: '' });
  assert.deepEqual(splitImage('nginx:1.27'), { name: 'nginx', tag: '1.27', digest: '' });
  assert.deepEqual(splitImage('localhost:5000/app'), { name: 'localhost:5000/app', tag: '', digest: '' });
  assert.deepEqual(splitImage('localhost:5000/app:1.0'), { name: 'localhost:5000/app', tag: '1.0', digest: '' });
  assert.deepEqual(splitImage(`app@${DIGEST}`), { name: 'app', tag: '', digest: DIGEST });
  assert.deepEqual(splitImage(`ghcr.io/org/app:2.0@${DIGEST}`), { name: 'ghcr.io/org/app', tag: '2.0', digest: DIGEST });
});

test('an override matches the image name whatever its tag or digest, and nothing else', () => {
  const cases: [string, Parameters<typeof overrideImage>[1], string][] = [
    ['app:1.0', { name: 'app', newTag: '2.0' }, 'app:2.0'],
    ['app', { name: 'app', newTag: '2.0' }, 'app:2.0'],
    ['localhost:5000/app:1.0', { name: 'localhost:5000/app', newTag: '1.1' }, 'localhost:5000/app:1.1'],
    ['localhost:5000/app:1.0', { name: 'localhost:5000/app', newName: 'registry.example/app' }, 'registry.example/app:1.0'],
    ['app:1.0', { name: 'app', digest: DIGEST }, `app@${DIGEST}`],
    [`app@${OTHER_DIGEST}`, { name: 'app', newTag: '3.0' }, 'app:3.0'],
    [`app:1.0@${OTHER_DIGEST}`, { name: 'app', digest: DIGEST }, `app@${DIGEST}`],
    ['app:1.0', { name: 'app', newName: 'mirror/app', newTag: '1.1', digest: DIGEST }, `mirror/app:1.1@${DIGEST}`],
    // Not the same image: a name prefix, a different registry, another repository.
    ['app-worker:1.0', { name: 'app', newTag: '2.0' }, 'app-worker:1.0'],
    ['localhost:5000/app:1.0', { name: 'app', newTag: '2.0' }, 'localhost:5000/app:1.0'],
    ['library/app:1.0', { name: 'app', newTag: '2.0' }, 'library/app:1.0'],
  ];
  for (const [image, override, expected] of cases)
    assert.equal(overrideImage(image, override), expected, `${image} with ${JSON.stringify(override)}`);
});

test('every container list in every pod template is overridden, other fields are not', () => {
  const cronJob: RenderedObject = {
    source: 'jobs/report.yaml',
    object: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report', annotations: { image: 'app:1.0' } },
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                initContainers: [{ name: 'migrate', image: 'app:1.0' }],
                containers: [
                  { name: 'report', image: 'app:1.0', env: [{ name: 'IMAGE', value: 'app:1.0' }] },
                  { name: 'proxy', image: 'envoy:1.30' },
                ],
                ephemeralContainers: [{ name: 'debug', image: 'app' }],
              },
            },
          },
        },
      },
    },
  };
  const [result] = overrideImages([cronJob], [{ name: 'app', newTag: '2.0' }]);
  const podSpec = cronJobPodSpec(result);
  assert.deepEqual(
    [...(podSpec.initContainers ?? []), ...podSpec.containers, ...(podSpec.ephemeralContainers ?? [])].map((container) => container.image),
    ['app:2.0', 'app:2.0', 'envoy:1.30', 'app:2.0'],
  );
  assert.equal(podSpec.containers[0]?.env?.[0]?.value, 'app:1.0', 'only container images change');
  assert.equal(result?.object.metadata?.annotations?.image, 'app:1.0');
  assert.equal(result?.source, 'jobs/report.yaml');
  assert.equal(cronJobPodSpec(cronJob).containers[0]?.image, 'app:1.0', 'input untouched');
});

test('overrides apply in order, each to the result of the one before, as in kustomize', () => {
  const pod: RenderedObject = {
    source: 'pod.yaml',
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'old/app:1' }] } },
  };
  const [result] = overrideImages(
    [pod],
    [
      { name: 'old/app', newName: 'new/app' },
      { name: 'new/app', newTag: '2' },
    ],
  );
  assert.equal((result?.object.spec as PodSpec).containers[0]?.image, 'new/app:2');
});
