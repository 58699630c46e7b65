import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binarySets, victoriaMetricsSet } from '../../src/localcluster/binary-sets.ts';
import { cacheDirOf } from '../../src/localcluster/build-binaries.ts';

test('every local control- and data-plane binary is pinned by a go.mod and cached under its version', () => {
  const sets = Object.fromEntries(binarySets().map((set) => [set.name, set]));
  assert.match(sets.kubernetes?.version ?? '', /^v1\.\d+\.\d+$/);
  assert.match(sets.etcd?.version ?? '', /^v3\.\d+\.\d+$/);
  assert.match(sets.kwok?.version ?? '', /^v0\.\d+\.\d+$/);
  assert.match(sets.kustomize?.version ?? '', /^v5\.\d+\.\d+$/);
  assert.match(sets.helm?.version ?? '', /^v3\.\d+\.\d+$/);
  assert.match(sets.sops?.version ?? '', /^v3\.\d+\.\d+$/);
  assert.match(sets.traefik?.version ?? '', /^v3\.\d+\.\d+$/);
  // podinfo's releases reach the module proxy only as pseudo-versions of a commit.
  assert.match(sets.podinfo?.version ?? '', /^v\d+\.\d+\.\d+-0\.\d{14}-[0-9a-f]{12}$/);
  for (const set of Object.values(sets)) assert.ok(cacheDirOf(set).endsWith(`${set.name}-${set.version}`));
  const names = binarySets()
    .flatMap((set) => Object.keys(set.binaries))
    .sort();
  assert.deepEqual(names, [
    'etcd',
    'helm',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kubectl',
    'kustomize',
    'kwok',
    'kwokctl',
    'podinfo',
    'sops',
    'traefik',
  ]);
  assert.ok(
    sets.kubernetes?.ldflags.includes(`-X k8s.io/component-base/version.gitVersion=${sets.kubernetes.version}`),
    'Kubernetes binaries report their real version',
  );
  assert.ok(
    sets.helm?.ldflags.includes(`-X helm.sh/helm/v3/internal/version.version=${sets.helm.version}`),
    'helm reports its real version',
  );
  assert.ok(
    sets.traefik?.ldflags.includes(`-X github.com/traefik/traefik/v3/pkg/version.Version=${sets.traefik.version.slice(1)}`),
    'traefik reports its real version, without the "v" as its releases do',
  );
  assert.ok(
    sets.podinfo?.ldflags.includes('-X github.com/stefanprodan/podinfo/pkg/version.VERSION=6.9.2') &&
      sets.podinfo.ldflags.includes(`-X github.com/stefanprodan/podinfo/pkg/version.REVISION=${sets.podinfo.version.slice(-12)}`),
    'podinfo reports the release of its pinned commit, and that commit',
  );
  for (const name of ['kustomize', 'helm', 'sops', 'traefik', 'podinfo']) {
    assert.notEqual(
      sets[name]?.moduleDir,
      sets.kubernetes?.moduleDir,
      `${name} has its own module, so its dependencies never fight Kubernetes'`,
    );
  }
});

test('VictoriaMetrics, which only the metric provider tests use, is pinned and cached by version but not built with the cluster', () => {
  const set = victoriaMetricsSet();
  assert.match(set.version, /^v1\.\d+\.\d+$/);
  assert.ok(cacheDirOf(set).endsWith(`victoria-metrics-${set.version}`));
  assert.equal(set.binaries['victoria-metrics'], 'github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics');
  assert.ok(!binarySets().some((cluster) => cluster.name === set.name));
});
