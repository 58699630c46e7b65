// Who a GitSync acts as and where it may act: the tenancy rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GitSync } from '../../../src/api/git-sync.ts';
import { outOfScope, scopeProblems, syncScope, type ScopeSettings } from '../../../src/gitsync/sync-scope.ts';

const gitSync = (namespace: string, spec: Partial<GitSync['spec']> = {}): GitSync => ({
  apiVersion: 'wren.dev/v1alpha1',
  kind: 'GitSync',
  metadata: { name: 'apps', namespace },
  spec: { url: 'https://git.example/apps.git', ...spec },
});

const scopes: { name: string; sync: GitSync; settings: ScopeSettings; actAs?: string; confinedTo?: string; files: boolean }[] = [
  {
    name: 'a tenant GitSync without a ServiceAccount is confined to its namespace',
    sync: gitSync('team-a'),
    settings: {},
    confinedTo: 'team-a',
    files: false,
  },
  {
    name: 'with spec.serviceAccountName it acts as that account of its own namespace',
    sync: gitSync('team-a', { serviceAccountName: 'deployer' }),
    settings: {},
    actAs: 'system:serviceaccount:team-a:deployer',
    files: false,
  },
  {
    name: "the operator's default ServiceAccount applies to GitSyncs naming none",
    sync: gitSync('team-a'),
    settings: { defaultServiceAccount: 'gitops' },
    actAs: 'system:serviceaccount:team-a:gitops',
    files: false,
  },
  {
    name: 'a named ServiceAccount wins over the default',
    sync: gitSync('team-a', { serviceAccountName: 'deployer' }),
    settings: { defaultServiceAccount: 'gitops' },
    actAs: 'system:serviceaccount:team-a:deployer',
    files: false,
  },
  {
    name: "a GitSync in the operator's namespace is cluster-wide when allowed",
    sync: gitSync('wren-system'),
    settings: { clusterWideNamespace: 'wren-system' },
    files: true,
  },
  {
    name: 'cluster-wide is only for the operator namespace',
    sync: gitSync('team-a'),
    settings: { clusterWideNamespace: 'wren-system' },
    confinedTo: 'team-a',
    files: false,
  },
  {
    name: 'a ServiceAccount in the operator namespace still acts as that account',
    sync: gitSync('wren-system', { serviceAccountName: 'platform' }),
    settings: { clusterWideNamespace: 'wren-system' },
    actAs: 'system:serviceaccount:wren-system:platform',
    files: false,
  },
];
for (const { name, sync, settings, actAs, confinedTo, files } of scopes) {
  test(`scope: ${name}`, () => {
    const scope = syncScope(sync, settings);
    assert.equal(scope.actAs, actAs);
    assert.equal(scope.confinedTo, confinedTo);
    assert.equal(scope.mayReadLocalFiles, files);
  });
}

const confined = syncScope(gitSync('team-a'), {});
const refs: { name: string; ref: Parameters<typeof outOfScope>[0]; problem: RegExp | undefined }[] = [
  {
    name: 'an object in its own namespace',
    ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'team-a' },
    problem: undefined,
  },
  {
    name: 'an object in another namespace',
    ref: { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', namespace: 'team-b' },
    problem: /namespace team-b is not the GitSync's own/,
  },
  {
    name: 'a ClusterRole',
    ref: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'admin2' },
    problem: /ClusterRole admin2 is cluster-scoped/,
  },
  { name: 'its own Namespace object', ref: { apiVersion: 'v1', kind: 'Namespace', name: 'team-a' }, problem: /cluster-scoped/ },
];
for (const { name, ref, problem } of refs) {
  test(`a confined GitSync and ${name}`, () => {
    const found = outOfScope(ref, confined);
    if (problem) {
      assert.match(found ?? '', problem);
      assert.match(found ?? '', /spec\.serviceAccountName/, 'the message says how to allow it');
    } else assert.equal(found, undefined);
  });
}

test('an impersonating or cluster-wide GitSync is not limited by Wren: the API server decides', () => {
  const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'x' };
  assert.equal(outOfScope(clusterRole, syncScope(gitSync('team-a', { serviceAccountName: 'd' }), {})), undefined);
  assert.equal(outOfScope(clusterRole, syncScope(gitSync('wren-system'), { clusterWideNamespace: 'wren-system' })), undefined);
});

test('spec fields a confined GitSync may not use are named before anything is fetched', () => {
  const fields = (sync: GitSync, settings: ScopeSettings = {}) =>
    scopeProblems(sync, syncScope(sync, settings)).map((problem) => problem.field);
  assert.deepEqual(fields(gitSync('team-a', { targetNamespace: 'team-b', createNamespace: true })), [
    'spec.targetNamespace',
    'spec.createNamespace',
  ]);
  assert.deepEqual(fields(gitSync('team-a', { targetNamespace: 'team-a' })), []);
  assert.deepEqual(fields(gitSync('team-a', { url: 'file:///var/cache/wren/other-team.git' })), ['spec.url']);
  assert.deepEqual(
    fields(gitSync('team-a', { url: 'file:///x', serviceAccountName: 'd' })),
    ['spec.url'],
    "a tenant's ServiceAccount cannot read the operator's disk",
  );
  assert.deepEqual(fields(gitSync('wren-system', { url: 'file:///x', targetNamespace: 'b' }), { clusterWideNamespace: 'wren-system' }), []);
});
