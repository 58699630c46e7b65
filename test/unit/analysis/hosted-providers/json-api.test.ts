// The one call of the hosted providers classifies answers as the Prometheus provider does, and keeps
// secret values out of every message. The servers here are FAKE loopback servers (recorded answers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callJsonApi, masked, serverWords } from '../../../../src/analysis/providers/json-api.ts';
import { ProviderUnreachableError } from '../../../../src/analysis/providers/unreachable.ts';
import { endpointWith, replay } from './recorded-exchange.ts';

const SECRET_HEADER = 'recorded-secret-header-value';
const request = (url: string) => ({ method: 'GET' as const, url: `${url}/q?x=1`, headers: { 'X-Key': SECRET_HEADER } });
const anyRequest = { method: 'GET' as const, path: '/q?x=1', headers: {} };

async function failureOf(status: number, body: unknown): Promise<Error> {
  const server = await replay([{ request: anyRequest, response: { status, body } }]);
  try {
    await callJsonApi(endpointWith(server.url, { some_key: 'recorded-secret-key-value' }), request(server.url));
  } catch (error) {
    return error as Error;
  } finally {
    await server.close();
  }
  assert.fail(`HTTP ${status} did not fail`);
}

test('hosted providers: 5xx and 429 are unreachable, 401/403 are refusals about the credentials, other 4xx carry the server words', async () => {
  for (const status of [500, 502, 503, 429]) {
    const error = await failureOf(status, { error: 'busy' });
    assert.ok(error instanceof ProviderUnreachableError, `HTTP ${status}`);
    assert.match(error.message, new RegExp(`answered HTTP ${status}`));
  }
  for (const status of [401, 403]) {
    const error = await failureOf(status, { errors: ['Forbidden'] });
    assert.ok(!(error instanceof ProviderUnreachableError), `HTTP ${status}`);
    assert.match(error.message, /refused the request .*check the keys in the template's secret \(spec\.provider\.secretRef\)/);
  }
  const bad = await failureOf(400, { error: { code: 400, message: `bad selector near ${SECRET_HEADER}` } });
  assert.ok(!(bad instanceof ProviderUnreachableError));
  assert.match(bad.message, /rejected the request \(HTTP 400\): bad selector near \*\*\*$/);
  assert.doesNotMatch(bad.message, /recorded-secret/);
});

test('hosted providers: no connection is unreachable, and a 2xx that is not JSON is not the service', async () => {
  const closed = await replay([]);
  await closed.close();
  await assert.rejects(callJsonApi(endpointWith(closed.url, {}), request(closed.url)), ProviderUnreachableError);
  const html = await replay([{ request: anyRequest, response: { status: 200, raw: '<html>login</html>' } }]);
  try {
    await assert.rejects(callJsonApi(endpointWith(html.url, {}), request(html.url)), (error: Error) => {
      assert.ok(error instanceof ProviderUnreachableError);
      assert.match(error.message, /answered HTTP 200 without JSON: is the address right\?/);
      return true;
    });
  } finally {
    await html.close();
  }
});

test('hosted providers: the server words come from the error shapes these APIs use', () => {
  assert.equal(serverWords({ errors: ['Invalid query', 'second'] }), 'Invalid query; second');
  assert.equal(serverWords({ error: { code: 400, message: 'Invalid metric selector' } }), 'Invalid metric selector');
  assert.equal(serverWords({ error: 'NRQL Syntax Error' }), 'NRQL Syntax Error');
  assert.equal(serverWords({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }), 'Invalid JWT Signature.');
  assert.equal(
    serverWords({ __type: 'InvalidParameterValueException', message: 'The value ... is not valid' }),
    'The value ... is not valid',
  );
  assert.equal(serverWords('text'), undefined);
  assert.equal(serverWords({ message: 'x'.repeat(400) })?.length, 301);
  assert.equal(masked('key abcd1234 and abcd1234', ['abcd1234']), 'key *** and ***');
});
