// The demo app: its settings, its evenly spread faults, and what it answers (on 127.0.0.1).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createDemoServer } from '../../src/demoapp/server.ts';
import { demoSettings, failsRequest } from '../../src/demoapp/settings.ts';

test('settings come from the environment; a bad value names its variable', () => {
  assert.deepEqual(
    demoSettings({
      DEMO_VERSION: '2.0.0',
      HOSTNAME: 'web-7f-x',
      PORT: '9898',
      DEMO_ERROR_RATE: '0.3',
      DEMO_LATENCY_MS: '800',
      DEMO_SHUTDOWN_DELAY_MS: '0',
    }),
    { version: '2.0.0', pod: 'web-7f-x', port: 9898, errorRate: 0.3, latencyMs: 800, shutdownDelayMs: 0 },
  );
  assert.deepEqual(demoSettings({}), { version: 'dev', pod: 'demo-app', port: 8080, errorRate: 0, latencyMs: 0, shutdownDelayMs: 3000 });
  assert.throws(() => demoSettings({ PORT: 'http' }), /PORT="http": give a whole number from 1 to 65535/);
  assert.throws(() => demoSettings({ DEMO_ERROR_RATE: '30%' }), /DEMO_ERROR_RATE/);
  assert.throws(() => demoSettings({ DEMO_ERROR_RATE: '1.5' }), /DEMO_ERROR_RATE/);
  assert.throws(() => demoSettings({ DEMO_LATENCY_MS: '-1' }), /DEMO_LATENCY_MS/);
});

for (const rate of [0, 0.05, 0.3, 0.5, 1]) {
  test(`an error rate of ${rate} fails exactly that share of any 100 consecutive requests`, () => {
    for (const start of [1, 37, 1000]) {
      let failures = 0;
      for (let n = start; n < start + 100; n++) if (failsRequest(n, rate)) failures += 1;
      assert.equal(failures, Math.round(rate * 100));
    }
  });
}

test('answers name their version and pod; faults and metrics are as configured', async (t) => {
  const { server, drain } = createDemoServer({
    version: '3.0.0',
    pod: 'web-abc-123',
    port: 0,
    errorRate: 0.5,
    latencyMs: 0,
    shutdownDelayMs: 0,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}/`)));
  assert.deepEqual(
    answers.map((answer) => answer.headers.get('x-demo-version')),
    Array(10).fill('3.0.0'),
  );
  assert.deepEqual(
    answers.map((answer) => answer.headers.get('x-demo-pod')),
    Array(10).fill('web-abc-123'),
  );
  assert.equal(answers.filter((answer) => answer.status === 500).length, 5);
  const body = (await answers.find((answer) => answer.status === 200)?.json()) as { version: string; pod: string };
  assert.deepEqual({ version: body.version, pod: body.pod }, { version: '3.0.0', pod: 'web-abc-123' });
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
  drain();
  assert.equal((await fetch(`${base}/readyz`)).status, 503, 'shutting down: routers stop sending');
  assert.equal((await fetch(`${base}/healthz`)).status, 200, 'but it still serves meanwhile');
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /http_request_duration_seconds_count\{method="GET",path="\/",status="200"\} 5/);
  assert.match(metrics, /http_request_duration_seconds_count\{method="GET",path="\/",status="500"\} 5/);
});
