import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOperatorOptions, UsageError } from '../../src/operator/options.ts';

test('defaults suit an in-cluster Deployment', () => {
  const options = parseOperatorOptions([], { POD_NAME: 'wren-abc', POD_NAMESPACE: 'platform' });
  assert.equal(options.identity, 'wren-abc');
  assert.equal(options.leaseNamespace, 'platform');
  assert.equal(options.leaderElection, true);
  assert.equal(options.httpPort, 8080);
  assert.equal(options.workers, 32);
  assert.equal(options.leaseDurationSeconds, 15);
  assert.equal(options.defaultProvider, 'kubernetes');
  assert.equal(options.installCrds, undefined);
});

test('flags override defaults', () => {
  const options = parseOperatorOptions(
    [
      '--no-leader-elect',
      '--http-address',
      '127.0.0.1:9090',
      '--lease-duration',
      '1m',
      '--provider',
      'nginx',
      '--install-crds',
      '--ingress-annotations-prefix',
      'custom.ingress.kubernetes.io',
    ],
    {},
  );
  assert.equal(options.leaderElection, false);
  assert.equal(options.httpHost, '127.0.0.1');
  assert.equal(options.httpPort, 9090);
  assert.equal(options.leaseDurationSeconds, 60);
  assert.equal(options.defaultProvider, 'nginx');
  assert.equal(options.installCrds, true);
  assert.equal(options.ingressAnnotationsPrefix, 'custom.ingress.kubernetes.io');
});

test('bad flags are usage errors that name the flag', () => {
  assert.throws(
    () => parseOperatorOptions(['--provider', 'appmesh'], {}),
    (error: Error) => error instanceof UsageError && /--provider/.test(error.message),
  );
  assert.throws(() => parseOperatorOptions(['--lease-duration', 'forever'], {}), /--lease-duration/);
  assert.throws(() => parseOperatorOptions(['--workers', '0'], {}), /--workers/);
  assert.throws(() => parseOperatorOptions(['--http-address', 'localhost'], {}), /--http-address/);
  assert.throws(() => parseOperatorOptions(['--what'], {}), /Unknown option/);
});

test('GitSync tenancy flags: confined by default, cluster-wide and a default ServiceAccount only when asked', () => {
  const defaults = parseOperatorOptions([], {});
  assert.equal(defaults.clusterWideGitSyncs, false);
  assert.equal(defaults.defaultServiceAccount, undefined);
  const set = parseOperatorOptions(['--cluster-wide-gitsyncs', '--default-service-account', 'gitops'], {});
  assert.equal(set.clusterWideGitSyncs, true);
  assert.equal(set.defaultServiceAccount, 'gitops');
  assert.throws(() => parseOperatorOptions(['--default-service-account', 'kube-system:admin'], {}), /--default-service-account/);
});

test('the dashboard is on by default with token-checked reads; --no-dashboard and --dashboard-anonymous-read change that', () => {
  const defaults = parseOperatorOptions([], {});
  assert.equal(defaults.dashboard, true);
  assert.equal(defaults.dashboardAnonymousRead, false);
  assert.equal(parseOperatorOptions(['--no-dashboard'], {}).dashboard, false);
  assert.equal(parseOperatorOptions(['--dashboard-anonymous-read'], {}).dashboardAnonymousRead, true);
});

test('one leader by default; --shards N splits the work in N shards and refuses a bad count or no Leases', () => {
  assert.equal(parseOperatorOptions([], {}).shards, 0);
  assert.equal(parseOperatorOptions(['--shards', '12'], {}).shards, 12);
  assert.throws(() => parseOperatorOptions(['--shards=-1'], {}), /--shards: give an integer from 0 to 1024/);
  assert.throws(() => parseOperatorOptions(['--shards', 'many'], {}), /--shards/);
  assert.throws(() => parseOperatorOptions(['--shards', '4', '--no-leader-elect'], {}), /--shards: shards need Leases/);
});
