import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExecPluginConfig } from '../../../src/kube/cluster-access.ts';
import { credentialUsable, EXPIRY_MARGIN_MS, execInfo, parseExecCredential } from '../../../src/kube/exec-credential.ts';

const V1 = 'client.authentication.k8s.io/v1';
const plugin = (provideClusterInfo: boolean): ExecPluginConfig => ({
  command: 'get-token',
  args: [],
  env: [],
  apiVersion: V1,
  provideClusterInfo,
});

test('the plugin is told it cannot prompt, and about the cluster only when the kubeconfig asks', () => {
  const cluster = { server: 'https://api:6443', caPem: 'CA PEM', insecureSkipVerify: false, serverName: 'kubernetes' };
  assert.deepEqual(JSON.parse(execInfo(plugin(false), cluster)), { apiVersion: V1, kind: 'ExecCredential', spec: { interactive: false } });
  assert.deepEqual(JSON.parse(execInfo(plugin(true), cluster)).spec.cluster, {
    server: 'https://api:6443',
    'tls-server-name': 'kubernetes',
    'certificate-authority-data': Buffer.from('CA PEM').toString('base64'),
  });
});

test("a plugin's answer is read into a token or a client certificate and an expiry", () => {
  const answer = (status: unknown, apiVersion = V1) => JSON.stringify({ apiVersion, kind: 'ExecCredential', status });
  const cases: [string, string, unknown][] = [
    ['token without expiry', answer({ token: 't' }), { token: 't' }],
    [
      'token with expiry',
      answer({ token: 't', expirationTimestamp: '2026-12-02T10:00:00Z' }),
      { token: 't', expiresAt: Date.parse('2026-12-02T10:00:00Z') },
    ],
    ['client certificate', answer({ clientCertificateData: 'CERT', clientKeyData: 'KEY' }), { clientCert: 'CERT', clientKey: 'KEY' }],
  ];
  for (const [name, stdout, expected] of cases) assert.deepEqual(parseExecCredential('get-token', V1, stdout), expected, name);
});

test('a wrong answer is refused without quoting it', () => {
  const answer = (status: unknown, apiVersion = V1, kind = 'ExecCredential') => JSON.stringify({ apiVersion, kind, status });
  const cases: [string, string, RegExp][] = [
    ['not JSON', 'sekret', /its output is not JSON/],
    ['another kind', answer({ token: 'sekret' }, V1, 'Secret'), /not an ExecCredential/],
    [
      'another protocol version',
      answer({ token: 'sekret' }, 'client.authentication.k8s.io/v1beta1'),
      /answered with apiVersion .*v1beta1, not .*\/v1$/,
    ],
    ['no status', answer(undefined), /has no status/],
    [
      'nothing to authenticate with',
      answer({ expirationTimestamp: '2026-12-02T10:00:00Z' }),
      /neither status\.token nor status\.clientCertificateData/,
    ],
    ['a certificate without its key', answer({ clientCertificateData: 'sekret' }), /must come together/],
    ['a token that is not a string', answer({ token: 42 }), /status\.token must be a string/],
    ['an expiry that is not a time', answer({ token: 'sekret', expirationTimestamp: 'soon' }), /expirationTimestamp is not a timestamp/],
  ];
  for (const [name, stdout, message] of cases) {
    assert.throws(
      () => parseExecCredential('get-token', V1, stdout),
      (error: Error) =>
        message.test(error.message) && error.message.startsWith('exec credential plugin get-token: ') && !/sekret/.test(error.message),
      name,
    );
  }
});

test('a cached answer is used until shortly before it expires; one without an expiry until it is refused', () => {
  const now = 1_000_000;
  const cases: [string, Parameters<typeof credentialUsable>[0], boolean][] = [
    ['nothing cached', undefined, false],
    ['no expiry', { token: 't' }, true],
    ['expires well after the margin', { token: 't', expiresAt: now + EXPIRY_MARGIN_MS + 1 }, true],
    ['expires within the margin', { token: 't', expiresAt: now + EXPIRY_MARGIN_MS }, false],
    ['expired', { token: 't', expiresAt: now - 1 }, false],
  ];
  for (const [name, credential, usable] of cases) assert.equal(credentialUsable(credential, now), usable, name);
});
