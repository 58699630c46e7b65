import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { KubeconfigError, resolveKubeconfig, type KubeconfigFile } from '../../../src/kube/kubeconfig-resolve.ts';

const file = (path: string, document: Record<string, unknown>): KubeconfigFile => ({ path, text: stringify(document) });

const single = (
  user: Record<string, unknown>,
  cluster: Record<string, unknown> = { server: 'https://api.example:6443' },
  context: Record<string, unknown> = {},
) =>
  file('/home/me/.kube/config', {
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', ...context } }],
    'current-context': 'ctx',
  });

test('a kubeconfig resolves to the current context: server, namespace, TLS files relative to the file, inline data decoded', () => {
  const access = resolveKubeconfig([
    single(
      { 'client-certificate': 'pki/admin.crt', 'client-key-data': Buffer.from('KEY PEM').toString('base64') },
      { server: 'https://api.example:6443/', 'certificate-authority': '/etc/ca.crt', 'tls-server-name': 'kubernetes' },
      { namespace: 'team-a' },
    ),
  ]);
  assert.deepEqual(access, {
    context: 'ctx',
    server: 'https://api.example:6443',
    namespace: 'team-a',
    tls: {
      ca: { file: '/etc/ca.crt' },
      clientCert: { file: '/home/me/.kube/pki/admin.crt' },
      clientKey: { data: 'KEY PEM' },
      insecureSkipVerify: false,
      serverName: 'kubernetes',
    },
    auth: { kind: 'none' },
  });
});

test('each way of authenticating becomes its own kind', () => {
  const cases: [string, Record<string, unknown>, unknown][] = [
    ['inline token', { token: 'abc' }, { kind: 'token', token: 'abc' }],
    ['token file relative to the kubeconfig', { tokenFile: 'token' }, { kind: 'tokenFile', path: '/home/me/.kube/token' }],
    ['token file wins over an inline token, as in client-go', { token: 'abc', tokenFile: '/t' }, { kind: 'tokenFile', path: '/t' }],
    ['basic', { username: 'admin', password: 'pw' }, { kind: 'basic', username: 'admin', password: 'pw' }],
    [
      'exec plugin, a path command relative to the kubeconfig',
      {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: './bin/get-token',
          args: ['--x'],
          env: [{ name: 'A', value: '1' }],
          provideClusterInfo: true,
        },
      },
      {
        kind: 'exec',
        exec: {
          command: '/home/me/.kube/bin/get-token',
          args: ['--x'],
          env: [{ name: 'A', value: '1' }],
          apiVersion: 'client.authentication.k8s.io/v1',
          provideClusterInfo: true,
        },
      },
    ],
    [
      'exec plugin found on PATH',
      { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws' } },
      {
        kind: 'exec',
        exec: { command: 'aws', args: [], env: [], apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: false },
      },
    ],
    [
      'legacy auth provider',
      { 'auth-provider': { name: 'oidc', config: { 'id-token': 'jwt', 'client-id': 'k8s' } } },
      { kind: 'authProvider', name: 'oidc', config: { 'id-token': 'jwt', 'client-id': 'k8s' } },
    ],
  ];
  for (const [name, user, auth] of cases) assert.deepEqual(resolveKubeconfig([single(user)])?.auth, auth, name);
});

test('several files merge as kubectl merges them: the first definition of a name and the first current-context win', () => {
  const first = file('/a/config', {
    clusters: [{ name: 'shared', cluster: { server: 'https://first:6443' } }],
    contexts: [{ name: 'dev', context: { cluster: 'shared', user: 'me' } }],
    'current-context': 'dev',
  });
  const second = file('/b/config', {
    clusters: [{ name: 'shared', cluster: { server: 'https://second:6443' } }],
    users: [{ name: 'me', user: { tokenFile: 'tok' } }],
    contexts: [{ name: 'dev', context: { cluster: 'other' } }],
    'current-context': 'prod',
  });
  const access = resolveKubeconfig([first, second]);
  assert.equal(access?.server, 'https://first:6443');
  assert.deepEqual(access?.auth, { kind: 'tokenFile', path: '/b/tok' }, 'a user path is relative to the file that defines the user');
});

test('no current context anywhere means nothing is configured', () => {
  assert.equal(resolveKubeconfig([file('/a', { clusters: [] }), { path: '/empty', text: '' }]), undefined);
});

test('a kubeconfig Wren cannot honour is refused with the field that asks for it', () => {
  const cases: [string, KubeconfigFile, RegExp][] = [
    ['not YAML', { path: '/k', text: 'clusters: [' }, /kubeconfig \/k: not YAML/],
    ['a list that is not a list', file('/k', { clusters: { c: {} } }), /kubeconfig \/k: clusters: must be a list/],
    ['a nameless entry', file('/k', { users: [{ user: {} }] }), /users\[0\]\.name: must be a non-empty string/],
    ['a missing context', file('/k', { 'current-context': 'gone' }), /current-context "gone" is not among the contexts/],
    [
      'a context naming a missing cluster',
      file('/k', { contexts: [{ name: 'x', context: { cluster: 'nope' } }], 'current-context': 'x' }),
      /contexts\[0\]\.context\.cluster: cluster "nope" is not defined/,
    ],
    ['no server', single({}, { 'certificate-authority': '/ca' }), /clusters\[0\]\.cluster\.server: is required/],
    ['a server that is not a URL', single({}, { server: 'api:6443' }), /server: "api:6443" is not an http\(s\) URL/],
    [
      'a proxy',
      single({}, { server: 'https://a', 'proxy-url': 'http://proxy:3128' }),
      /clusters\[0\]\.cluster\.proxy-url: is not supported by Wren/,
    ],
    ['impersonation', single({ token: 't', as: 'admin' }), /users\[0\]\.user\.as: is not supported by Wren/],
    ['two ways at once', single({ token: 't', username: 'admin' }), /users\[0\]\.user: set only one of token, username/],
    [
      'an exec plugin of an unknown protocol',
      single({ exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x' } }),
      /exec\.apiVersion: .* is not one of/,
    ],
    [
      'an exec plugin that needs a terminal',
      single({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Always' } }),
      /exec\.interactiveMode: "Always" needs a terminal/,
    ],
    [
      'exec args that are not strings',
      single({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'x', args: [1] } }),
      /exec\.args: must be a list of strings/,
    ],
    ['an auth provider with no name', single({ 'auth-provider': { config: {} } }), /auth-provider\.name: is required/],
  ];
  for (const [name, kubeconfig, message] of cases) {
    assert.throws(
      () => resolveKubeconfig([kubeconfig]),
      (error: Error) => error instanceof KubeconfigError && message.test(error.message),
      name,
    );
  }
});

test('a refusal never quotes a secret of the kubeconfig', () => {
  assert.throws(
    () => resolveKubeconfig([single({ token: 'sekret-token', username: 'admin', password: 'sekret-pw' })]),
    (error: Error) => !/sekret/.test(error.message),
  );
});
