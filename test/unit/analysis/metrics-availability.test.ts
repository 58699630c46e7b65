// When a metrics server is unreachable rather than refusing: the step verdict, the per-server backoff,
// and how provider answers are classified (a loopback HTTP server plays each kind of answer).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import type { CredentialStore } from '../../../src/analysis/credentials.ts';
import { TemplateMetricChecker } from '../../../src/analysis/metric-checker.ts';
import { checkPrometheus, queryPrometheus } from '../../../src/analysis/providers/prometheus.ts';
import type { Canary } from '../../../src/api/canary.ts';
import type { MetricTemplate } from '../../../src/api/metric-template.ts';
import type { Informer } from '../../../src/kube/informer.ts';
import { ProviderUnreachableError } from '../../../src/analysis/providers/unreachable.ts';
import { ServerBackoff } from '../../../src/analysis/server-backoff.ts';
import { stepVerdict } from '../../../src/analysis/step-verdict.ts';
import type { CheckResult } from '../../../src/canary/analysis-seam.ts';

const pass = (name: string): CheckResult => ({ name, kind: 'metric', passed: true });
const fail = (name: string): CheckResult => ({ name, kind: 'metric', passed: false, reason: 'BelowThreshold', message: `${name} 90 < 99` });
const away = (name: string, message = 'http://prom:9090: connect ECONNREFUSED'): CheckResult => ({
  name,
  kind: 'metric',
  passed: false,
  reason: 'Unreachable',
  message,
});
const hook = (passed: boolean): CheckResult => ({ name: 'load-test', kind: 'webhook', passed });

const verdicts: { name: string; checks: CheckResult[]; passed: boolean; unreachable?: string }[] = [
  { name: 'all pass', checks: [pass('a'), hook(true)], passed: true },
  { name: 'one fails', checks: [pass('a'), fail('b')], passed: false },
  {
    name: 'only unreachable metrics did not pass',
    checks: [pass('a'), away('b'), hook(true)],
    passed: false,
    unreachable: 'http://prom:9090: connect ECONNREFUSED',
  },
  { name: 'two servers away', checks: [away('a', 'x down'), away('b', 'y down')], passed: false, unreachable: 'x down; y down' },
  {
    name: 'the same server named once',
    checks: [away('a'), away('b')],
    passed: false,
    unreachable: 'http://prom:9090: connect ECONNREFUSED',
  },
  { name: 'a real failure beside an unreachable server fails', checks: [away('a'), fail('b')], passed: false },
  { name: 'a failed webhook beside an unreachable server fails', checks: [away('a'), hook(false)], passed: false },
  { name: 'no checks at all pass', checks: [], passed: true },
];
for (const { name, checks, passed, unreachable } of verdicts) {
  test(`step verdict: ${name}`, () => {
    const verdict = stepVerdict(checks);
    assert.equal(verdict.passed, passed);
    assert.equal(verdict.unreachable, unreachable);
  });
}

test('a server that is unreachable is not asked again until its backoff ends, then asked once', async () => {
  let now = 0;
  const backoff = new ServerBackoff({ baseMs: 1000, maxMs: 8000, jitter: 0 }, () => now);
  let calls = 0;
  const down = async () => {
    calls += 1;
    throw new ProviderUnreachableError('http://prom:9090', 'connect ECONNREFUSED');
  };
  await assert.rejects(backoff.call('http://prom:9090/api', down), /ECONNREFUSED/);
  await assert.rejects(backoff.call('http://prom:9090/other', down), /ECONNREFUSED/);
  assert.equal(calls, 1, 'every path of the server shares its backoff');
  now = 1000;
  await assert.rejects(backoff.call('http://prom:9090', down));
  assert.equal(calls, 2);
  now = 2999;
  await assert.rejects(backoff.call('http://prom:9090', down));
  assert.equal(calls, 2, 'the delay doubled');
  now = 3000;
  assert.equal(await backoff.call('http://prom:9090', async () => 42), 42, 'an answer ends the backoff');
  now = 3001;
  await assert.rejects(backoff.call('http://prom:9090', down));
  assert.equal(calls, 3, 'and the next failure starts over at the base delay');
  assert.equal(await backoff.call('http://other:9090', async () => 'other'), 'other', 'other servers are not held back');
});

test('a refusal (bad query, wrong credentials) is an answer: it does not start a backoff', async () => {
  const backoff = new ServerBackoff({ baseMs: 1000, maxMs: 8000, jitter: 0 }, () => 0);
  await assert.rejects(
    backoff.call('http://prom:9090', async () => Promise.reject(new Error('bad_data'))),
    /bad_data/,
  );
  assert.equal(await backoff.call('http://prom:9090', async () => 1), 1);
});

async function serve(t: TestContext, handler: (path: string) => { status: number; body: string }): Promise<string> {
  const server: Server = createServer((request, response) => {
    const { status, body } = handler(request.url ?? '');
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const endpoint = (address: string) => ({ address, headers: {}, insecureSkipVerify: false, timeoutMs: 2000 });

test('Prometheus answers: no connection, 5xx and non-Prometheus pages are unreachable; a refused query is not', async (t) => {
  const answers: Record<string, { status: number; body: string }> = {
    '/503': { status: 503, body: 'upstream down' },
    '/html': { status: 200, body: '<html>login</html>' },
    '/bad': { status: 400, body: JSON.stringify({ status: 'error', error: 'parse error' }) },
    '/401': { status: 401, body: 'unauthorized' },
  };
  const server = await serve(t, (path) => answers[`/${path.split('/')[1]}`] ?? { status: 404, body: '' });
  await assert.rejects(queryPrometheus(endpoint(`${server}/503`), 'up'), ProviderUnreachableError);
  await assert.rejects(queryPrometheus(endpoint(`${server}/html`), 'up'), ProviderUnreachableError);
  await assert.rejects(
    queryPrometheus(endpoint(`${server}/bad`), 'up'),
    (error: Error) => !(error instanceof ProviderUnreachableError) && /parse error/.test(error.message),
  );
  await assert.rejects(
    queryPrometheus(endpoint(`${server}/401`), 'up'),
    (error: Error) => !(error instanceof ProviderUnreachableError) && /credentials/.test(error.message),
  );
  await assert.rejects(queryPrometheus(endpoint(`http://127.0.0.1:1`), 'up'), ProviderUnreachableError);
});

test('a server that answers vector(1) with another value is not taken for Prometheus', async (t) => {
  const odd = await serve(t, () => ({
    status: 200,
    body: JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [0, '2'] } }),
  }));
  await assert.rejects(
    checkPrometheus(endpoint(odd)),
    (error: Error) => error instanceof ProviderUnreachableError && /answered vector\(1\) with 2/.test(error.message),
  );
});

test('a server that answers again is known to have recovered for as long as a query window reaches back into the outage', async () => {
  let now = 0;
  const backoff = new ServerBackoff({ baseMs: 1000, maxMs: 8000, jitter: 0 }, () => now);
  await backoff.call('http://prom:9090', async () => 1);
  assert.equal(backoff.recoveredWithin('http://prom:9090', 60_000), undefined, 'never down: nothing to recover from');
  await assert.rejects(
    backoff.call('http://prom:9090', async () => Promise.reject(new ProviderUnreachableError('http://prom:9090', 'down'))),
  );
  now = 5000;
  await backoff.call('http://prom:9090/api/v1/query', async () => 1);
  now = 14_000;
  assert.equal(backoff.recoveredWithin('http://prom:9090', 10_000), 9000);
  now = 15_000;
  assert.equal(backoff.recoveredWithin('http://prom:9090', 10_000), undefined, 'the window no longer reaches the outage');
});

test('no data from a server that just came back is the outage gap (held), not the canary silence (failed)', async (t) => {
  let answer: { status: number; body: string } = { status: 503, body: 'down' };
  const server = await serve(t, () => answer);
  let now = 0;
  const checker = new TemplateMetricChecker({
    templates: { get: () => undefined } as unknown as Informer<MetricTemplate>,
    credentials: undefined as unknown as CredentialStore,
    builtins: new Map(),
    defaultProvider: 'kubernetes',
    defaultMetricsServer: server,
    servers: new ServerBackoff({ baseMs: 1, maxMs: 1, jitter: 0 }, () => now),
  });
  const canary = {
    metadata: { name: 'web', namespace: 'shop' },
    spec: { targetRef: { name: 'web' }, service: { port: 80 } },
  } as unknown as Canary;
  const metric = { name: 'errors', query: 'sum(rate(errors[10s]))', interval: '10s', thresholdRange: { max: 1 } };
  const step = { phase: 'Progressing', canaryWeight: 10, revision: 'r' };
  assert.equal((await checker.check(canary, metric, step)).reason, 'Unreachable');
  answer = { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }) };
  now = 2;
  const gap = await checker.check(canary, metric, step);
  assert.equal(gap.reason, 'Unreachable');
  assert.match(gap.message ?? '', /answers again after an outage, but its 10s window still spans the gap/);
  now = 10_003;
  assert.equal((await checker.check(canary, metric, step)).reason, 'NoData', 'once the window is past the outage, no data is no data');
});
