// A MetricTemplate's credentials go only to the server the template itself names. A tenant's Canary
// that points another namespace's template at a server of its own choosing is refused, and its server
// never sees the token. The operator watches every namespace here, so it sees both tenants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCondition, type Condition } from '../../src/api/conditions.ts';
import type { KubeObject } from '../../src/kube/objects.ts';
import { CANARIES, DEPLOYMENTS, METRIC_TEMPLATES, SECRETS } from '../../src/kube/resource-types.ts';
import { appDeployment, canaryFor, getCanary } from '../helpers/canary-fixtures.ts';
import { freshNamespace, useCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import { OperatorProcess } from '../helpers/operator-process.ts';
import { WebhookServer } from '../helpers/webhook-server.ts';

type Reported = KubeObject & { status?: { conditions?: Condition[] } };
const TOKEN = 'platform-prometheus-token-4f1c';
const PROMETHEUS_ANSWER = JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [0, '1'] } });

test("a Canary cannot send another namespace's metric credentials to a server it chooses; the template's own server gets them", async (t) => {
  const cluster = await useCluster();
  const platform = await freshNamespace(t, cluster, 'platform');
  const tenant = await freshNamespace(t, cluster, 'tenant');
  const attacker = await new WebhookServer().start(t);
  attacker.answer('/api/v1/query', 200, PROMETHEUS_ANSWER);
  const platformPrometheus = await new WebhookServer().start(t);
  platformPrometheus.answer('/api/v1/query', 200, PROMETHEUS_ANSWER);
  const operator = new OperatorProcess(cluster.kubeconfigPath, ['--lease-namespace', tenant]);
  t.after(() => operator.stop());

  await cluster.client.create(SECRETS, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'prom-token', namespace: platform },
    stringData: { token: TOKEN },
  });
  const template = {
    apiVersion: 'wren.dev/v1alpha1',
    kind: 'MetricTemplate',
    metadata: { name: 'errors', namespace: platform },
    spec: {
      provider: { type: 'prometheus', secretRef: { name: 'prom-token' } },
      query: 'sum(rate(errors_total{namespace="{{ namespace }}"}[1m]))',
    },
  };
  await cluster.client.create(METRIC_TEMPLATES, template);
  await cluster.client.create(DEPLOYMENTS, appDeployment('podinfo', tenant, 'ghcr.io/example/podinfo:1.0.0'));
  await cluster.client.create(
    CANARIES,
    canaryFor(
      'podinfo',
      tenant,
      { iterations: 1, metrics: [{ name: 'errors', templateRef: { name: 'errors', namespace: platform }, thresholdRange: { max: 1 } }] },
      { metricsServer: attacker.url('') },
    ),
  );

  const templateReady = await eventually('the template to be reported', async () => {
    const current = await cluster.client.get<Reported>(METRIC_TEMPLATES, platform, 'errors');
    return findCondition(current.status?.conditions, 'Ready');
  });
  assert.equal(templateReady.reason, 'InvalidSpec');
  assert.match(templateReady.message ?? '', /spec\.provider\.address/);
  const refused = await eventually('the Canary to be refused', async () => {
    const ready = findCondition((await getCanary(cluster, tenant, 'podinfo')).status?.conditions, 'Ready');
    return ready?.reason === 'InvalidSpec' ? ready : undefined;
  });
  assert.match(refused.message ?? '', /spec\.analysis\.metrics\[0\]\.templateRef: MetricTemplate .*\/errors cannot be used/);

  // The platform team names its own server: the Canary becomes valid, and only that server is asked.
  const current = await cluster.client.get<KubeObject>(METRIC_TEMPLATES, platform, 'errors');
  await cluster.client.replace(METRIC_TEMPLATES, {
    ...current,
    spec: { ...template.spec, provider: { ...template.spec.provider, address: platformPrometheus.url('') } },
  });
  await eventually(
    "the Canary to initialize against the template's server",
    async () => (await getCanary(cluster, tenant, 'podinfo')).status?.phase === 'Initialized',
  );
  const authorizations = platformPrometheus.callsTo('/api/v1/query').map((call) => call.headers.authorization);
  assert.ok(authorizations.length > 0);
  assert.ok(
    authorizations.every((value) => value === `Bearer ${TOKEN}`),
    "the template's own server gets its credentials",
  );
  assert.deepEqual(
    attacker.calls.filter((call) => JSON.stringify(call.headers).includes(TOKEN)),
    [],
    'the server the Canary chose never saw the token',
  );
  assert.ok(
    operator.logs.every((line) => !JSON.stringify(line).includes(TOKEN)),
    'the token is in no log line',
  );
});
