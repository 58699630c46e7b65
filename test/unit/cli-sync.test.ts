// wren sync's pure parts: flags into a spec, the rollback revision, and what status prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { GitSync } from '../../src/api/git-sync.ts';
import { validateResource } from '../../src/api/validation/validate-resource.ts';
import { GIT_SYNC } from '../../src/api/kinds.ts';
import { parseImageFlag } from '../../src/cli/sync/image-flag.ts';
import { pickRollbackRevision } from '../../src/gitsync/rollback-revision.ts';
import { describeGitSync, summaryRow } from '../../src/cli/sync/status-view.ts';
import { describeFlagProblem, normalizeBooleanFlags, specFromFlags } from '../../src/cli/sync/upsert-flags.ts';
import { parseTimeout } from '../../src/cli/wait-for-status.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c0ffee' + '1'.repeat(34);
const C2 = 'c0ffee' + '2'.repeat(34);
const NOW = new Date('2026-03-01T12:00:00Z');

function gitSync(status: GitSync['status'] = {}, spec: Partial<GitSync['spec']> = {}): GitSync {
  return {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'GitSync',
    metadata: { namespace: 'apps', name: 'podinfo' },
    spec: { url: 'https://git.example/org/podinfo.git', ref: { branch: 'main' }, path: 'deploy', ...spec },
    status,
  };
}

const record = (revision: string, result: 'Succeeded' | 'Failed', minutesAgo: number, trigger = 'new revision') => ({
  revision,
  result,
  trigger,
  time: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
});

test('upsert flags become a spec holding only the fields given', () => {
  const result = specFromFlags({
    url: 'https://git.example/org/podinfo.git',
    tag: 'v1.2.0',
    path: 'deploy/prod',
    interval: '5m',
    'target-namespace': 'prod',
    'create-namespace': true,
    prune: false,
    'self-heal': false,
    image: ['podinfo=ghcr.io/org/podinfo:2.0.0'],
    'secret-ref': 'git-credentials',
    render: 'kustomize',
    'depends-on': ['infra/base', 'crds'],
  });
  assert.deepEqual(result, {
    spec: {
      url: 'https://git.example/org/podinfo.git',
      ref: { tag: 'v1.2.0' },
      path: 'deploy/prod',
      interval: '5m',
      targetNamespace: 'prod',
      createNamespace: true,
      prune: false,
      selfHeal: false,
      images: [{ name: 'podinfo', newName: 'ghcr.io/org/podinfo', newTag: '2.0.0' }],
      secretRef: { name: 'git-credentials' },
      render: { type: 'kustomize' },
      dependsOn: [{ namespace: 'infra', name: 'base' }, { name: 'crds' }],
    },
  });
  assert.deepEqual(specFromFlags({ url: 'git@git.example:org/podinfo.git' }), { spec: { url: 'git@git.example:org/podinfo.git' } });
});

test('upsert rejects what the operator would reject, naming the field and the flag', () => {
  assert.deepEqual(specFromFlags({}), { problems: [{ field: 'spec.url', message: 'is required' }] });
  const bad = specFromFlags({ url: 'https://x', 'depends-on': ['a/b/c'] });
  assert.ok('problems' in bad);
  assert.match(describeFlagProblem(bad.problems[0]!), /^spec\.dependsOn \(--depends-on\): "a\/b\/c" is not NAME or NAMESPACE\/NAME$/);

  const twoRefs = specFromFlags({ url: 'https://x', branch: 'main', tag: 'v1', 'create-namespace': true });
  assert.ok('spec' in twoRefs);
  const problems = validateResource(GIT_SYNC, { spec: twoRefs.spec }, { defaultProvider: 'kubernetes' }).map(describeFlagProblem);
  assert.deepEqual(problems, [
    'spec.ref (--branch, --tag, --semver, --commit): set one of branch, tag, semver, commit; got branch and tag',
    'spec.createNamespace (--create-namespace): needs spec.targetNamespace',
  ]);
  const badInterval = specFromFlags({ url: 'https://x', interval: '5' });
  assert.ok('spec' in badInterval);
  const [intervalProblem] = validateResource(GIT_SYNC, { spec: badInterval.spec }, { defaultProvider: 'kubernetes' });
  assert.match(describeFlagProblem(intervalProblem!), /^spec\.interval \(--interval\): /);
});

test('--prune=false and --self-heal=true read like the negated and plain flags', () => {
  assert.deepEqual(normalizeBooleanFlags(['--prune=false', '--self-heal=true', '--path=x', 'name']), [
    '--no-prune',
    '--self-heal',
    '--path=x',
    'name',
  ]);
  assert.throws(() => normalizeBooleanFlags(['--prune=maybe']), /--prune: expected true or false, got "maybe"/);
});

test('--image takes the kustomize forms, keeping registry ports in the name', () => {
  const digest = `sha256:${'0'.repeat(64)}`;
  assert.deepEqual(parseImageFlag('nginx=registry.local:5000/nginx:1.27'), {
    name: 'nginx',
    newName: 'registry.local:5000/nginx',
    newTag: '1.27',
  });
  assert.deepEqual(parseImageFlag(`nginx@${digest}`), { name: 'nginx', digest });
  assert.deepEqual(parseImageFlag(`nginx=mirror/nginx@${digest}`), { name: 'nginx', newName: 'mirror/nginx', digest });
  assert.deepEqual(parseImageFlag('nginx:1.27'), { name: 'nginx', newTag: '1.27' });
  assert.deepEqual(parseImageFlag('nginx=mirror/nginx'), { name: 'nginx', newName: 'mirror/nginx' });
  assert.ok('error' in parseImageFlag('nginx'));
  assert.ok('error' in parseImageFlag('=mirror/nginx:1'));
});

test('rollback without a revision picks the newest successful one other than the applied one', () => {
  const history = [record(A, 'Failed', 1), record(B, 'Succeeded', 2), record(C, 'Succeeded', 3), record(A, 'Succeeded', 4)];
  assert.deepEqual(pickRollbackRevision(gitSync({ lastAppliedRevision: B, history })), { revision: C });
  assert.deepEqual(pickRollbackRevision(gitSync({ lastAppliedRevision: A, history })), { revision: B });
  const nothing = pickRollbackRevision(gitSync({ lastAppliedRevision: A, history: [record(A, 'Succeeded', 1), record(B, 'Failed', 2)] }));
  assert.ok('error' in nothing);
  assert.match(nothing.error, /apps\/podinfo has no successful revision other than the applied one \(aaaaaaa\)/);
});

test('rollback to a given revision accepts a unique prefix of a history revision', () => {
  const history = [record(A, 'Succeeded', 1), record(C, 'Succeeded', 2), record(C2, 'Failed', 3), record(B, 'Succeeded', 4)];
  const subject = gitSync({ lastAppliedRevision: A, history });
  assert.deepEqual(pickRollbackRevision(subject, 'bbbb'), { revision: B });
  assert.deepEqual(pickRollbackRevision(subject, C), { revision: C });
  assert.deepEqual(pickRollbackRevision(subject, 'C0FFEE1'), { revision: C });
  const ambiguous = pickRollbackRevision(subject, 'c0ffee');
  assert.ok('error' in ambiguous);
  assert.match(ambiguous.error, /revision c0ffee is ambiguous in the history of apps\/podinfo/);
  assert.deepEqual(pickRollbackRevision(subject, 'abc'), {
    error: 'revision abc is not in the history of apps/podinfo; known: aaaaaaa, c0ffee1, c0ffee2, bbbbbbb',
  });
  assert.deepEqual(pickRollbackRevision(gitSync({}), 'abc'), { error: 'revision abc is not in the history of apps/podinfo; known: none' });
});

test('a status row shows the short revision, sync, health, readiness, age and the Ready message', () => {
  const subject = gitSync({
    lastAppliedRevision: A,
    sync: 'Synced',
    health: 'Healthy',
    lastSyncTime: new Date(NOW.getTime() - 180_000).toISOString(),
    conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: `applied ${A}` }],
  });
  assert.deepEqual(summaryRow(subject, NOW, false), ['podinfo', 'aaaaaaa', 'Synced', 'Healthy', 'True', '3m', `applied ${A}`]);
  assert.deepEqual(summaryRow(gitSync(), NOW, true), ['apps', 'podinfo', '-', 'Unknown', 'Unknown', 'Unknown', '-', '']);
});

test('status of one GitSync shows its source, diff, drift, history and a rollback pause', () => {
  const subject = gitSync(
    {
      lastAppliedRevision: B,
      lastAttemptedRevision: A,
      sync: 'OutOfSync',
      health: 'Healthy',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ApplyFailed', message: 'apply failed in deploy/app.yaml' }],
      diff: { created: 1, updated: 2, deleted: 0, unchanged: 7, drifted: ['Deployment/apps/podinfo'] },
      history: [record(A, 'Failed', 1, 'new revision'), record(B, 'Succeeded', 5, 'rollback')],
    },
    { rollbackTo: B },
  );
  const text = describeGitSync(subject, NOW);
  assert.match(text, /^GitSync apps\/podinfo$/m);
  assert.match(text, /Source: +https:\/\/git\.example\/org\/podinfo\.git \(branch main\), path deploy/);
  assert.match(text, /Attempted: +a{40}/);
  assert.match(text, /Ready: +False \(ApplyFailed\): apply failed in deploy\/app\.yaml/);
  assert.match(text, /Auto-sync: +paused by a rollback: held at bbbbbbb; `wren sync resume podinfo -n apps` follows branch main again/);
  assert.match(text, /Diff: +1 created, 2 updated, 0 deleted, 7 unchanged/);
  assert.match(text, /^ {4}Deployment\/apps\/podinfo$/m);
  assert.match(text, /^ {2}aaaaaaa +2026-03-01T11:59:00\.000Z +60s +Failed +new revision$/m);
  assert.match(text, /^ {2}bbbbbbb +2026-03-01T11:55:00\.000Z +5m +Succeeded +rollback$/m);
  assert.match(describeGitSync(gitSync({}, { ref: undefined }), NOW), /Auto-sync: +following the remote HEAD every 1m/);
  assert.match(describeGitSync(gitSync({}, { suspend: true }), NOW), /Auto-sync: +suspended/);
});

test('--timeout takes a duration or seconds', () => {
  assert.equal(parseTimeout(undefined, 120_000), 120_000);
  assert.equal(parseTimeout('2m', 0), 120_000);
  assert.equal(parseTimeout('45', 0), 45_000);
  assert.throws(() => parseTimeout('soon', 0), /--timeout: "soon" is not a duration/);
});

test('wren sync rejects invalid upsert flags before touching any cluster', () => {
  const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
  const result = spawnSync(process.execPath, [main, 'sync', 'upsert', 'podinfo', '--url', 'ftp://git.example/x', '--render', 'jsonnet'], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: '/nonexistent' },
  });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /spec\.render\.type \(--render\): must be one of "directory", "kustomize", "helm"; got "jsonnet"/);
  const unknown = spawnSync(process.execPath, [main, 'sync', 'promote'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown subcommand "promote"/);
});
