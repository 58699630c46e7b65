// Kubeconfig files to the one cluster the current context names, as kubectl merges them: files in
// $KUBECONFIG order, the first file to define a cluster, context or user by a name wins, and so does the
// first current-context. Relative paths are relative to the file that holds them. Pure: the files come
// in as text. What Wren cannot honour (proxies, impersonation, interactive exec plugins) is refused with
// the field that asked for it rather than ignored.
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ClusterAccess, ClusterAuth, ExecPluginConfig, Pem } from './cluster-access.ts';

export interface KubeconfigFile {
  path: string;
  text: string;
}

export class KubeconfigError extends Error {}

type Fields = Record<string, unknown>;

interface Named {
  file: string;
  /** e.g. users[1].user */
  field: string;
  value: Fields;
}

const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];
const UNSUPPORTED_CLUSTER_FIELDS = ['proxy-url'];
const UNSUPPORTED_USER_FIELDS = ['as', 'as-uid', 'as-groups', 'as-user-extra'];

/** Undefined when no file sets a current context (nothing configured). */
export function resolveKubeconfig(files: KubeconfigFile[]): ClusterAccess | undefined {
  const clusters = new Map<string, Named>();
  const contexts = new Map<string, Named>();
  const users = new Map<string, Named>();
  let currentContext: string | undefined;
  for (const file of files) {
    const document = parseDocument(file);
    collect(file.path, document, 'clusters', 'cluster', clusters);
    collect(file.path, document, 'contexts', 'context', contexts);
    collect(file.path, document, 'users', 'user', users);
    const current = document['current-context'];
    if (!currentContext && typeof current === 'string' && current) currentContext = current;
  }
  if (!currentContext) return undefined;

  const context = contexts.get(currentContext);
  if (!context) throw new KubeconfigError(`kubeconfig: current-context "${currentContext}" is not among the contexts`);
  const clusterName = requiredString(context, 'cluster');
  const cluster = clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError(`${where(context, 'cluster')}: cluster "${clusterName}" is not defined`);
  const userName = optionalString(context, 'user');
  const user = userName ? users.get(userName) : undefined;
  if (userName && !user) throw new KubeconfigError(`${where(context, 'user')}: user "${userName}" is not defined`);

  for (const field of UNSUPPORTED_CLUSTER_FIELDS) refuse(cluster, field);
  if (user) for (const field of UNSUPPORTED_USER_FIELDS) refuse(user, field);
  const namespace = optionalString(context, 'namespace');
  return {
    context: currentContext,
    server: serverOf(cluster),
    ...(namespace ? { namespace } : {}),
    tls: {
      ...pemField(cluster, 'certificate-authority', 'ca'),
      ...(user ? pemField(user, 'client-certificate', 'clientCert') : {}),
      ...(user ? pemField(user, 'client-key', 'clientKey') : {}),
      insecureSkipVerify: cluster.value['insecure-skip-tls-verify'] === true,
      ...(optionalString(cluster, 'tls-server-name') ? { serverName: optionalString(cluster, 'tls-server-name') } : {}),
    },
    auth: user ? authOf(user) : { kind: 'none' },
  };
}

function parseDocument(file: KubeconfigFile): Fields {
  let document: unknown;
  try {
    document = parse(file.text);
  } catch (error) {
    throw new KubeconfigError(`kubeconfig ${file.path}: not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) throw new KubeconfigError(`kubeconfig ${file.path}: not a mapping`);
  return document as Fields;
}

function collect(path: string, document: Fields, list: string, inner: string, into: Map<string, Named>): void {
  const entries = document[list];
  if (entries === undefined || entries === null) return;
  if (!Array.isArray(entries)) throw new KubeconfigError(`kubeconfig ${path}: ${list}: must be a list`);
  entries.forEach((entry: unknown, index) => {
    const field = `${list}[${index}]`;
    const name = (entry as Fields | null)?.name;
    if (typeof name !== 'string' || !name) throw new KubeconfigError(`kubeconfig ${path}: ${field}.name: must be a non-empty string`);
    const value = (entry as Fields)[inner] ?? {};
    if (typeof value !== 'object' || Array.isArray(value))
      throw new KubeconfigError(`kubeconfig ${path}: ${field}.${inner}: must be a mapping`);
    if (!into.has(name)) into.set(name, { file: path, field: `${field}.${inner}`, value: value as Fields });
  });
}

function where(named: Named, field: string): string {
  return `kubeconfig ${named.file}: ${named.field}.${field}`;
}

function optionalString(named: Named, field: string): string | undefined {
  const value = named.value[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new KubeconfigError(`${where(named, field)}: must be a string`);
  return value;
}

function requiredString(named: Named, field: string): string {
  const value = optionalString(named, field);
  if (!value) throw new KubeconfigError(`${where(named, field)}: is required`);
  return value;
}

function refuse(named: Named, field: string): void {
  if (named.value[field] !== undefined) throw new KubeconfigError(`${where(named, field)}: is not supported by Wren`);
}

function serverOf(cluster: Named): string {
  const server = requiredString(cluster, 'server');
  if (!URL.canParse(server) || !['https:', 'http:'].includes(new URL(server).protocol)) {
    throw new KubeconfigError(`${where(cluster, 'server')}: "${server}" is not an http(s) URL`);
  }
  return server.replace(/\/+$/, '');
}

function pemField<K extends string>(named: Named, field: string, key: K): Partial<Record<K, Pem>> {
  const data = optionalString(named, `${field}-data`);
  if (data) return { [key]: { data: Buffer.from(data, 'base64').toString('utf8') } } as Record<K, Pem>;
  const file = optionalString(named, field);
  if (file) return { [key]: { file: relativeTo(named, file) } } as Record<K, Pem>;
  return {};
}

function relativeTo(named: Named, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(named.file), path);
}

function authOf(user: Named): ClusterAuth {
  const token = optionalString(user, 'token');
  const tokenFile = optionalString(user, 'tokenFile');
  const username = optionalString(user, 'username');
  const exec = user.value.exec;
  const provider = user.value['auth-provider'];
  const ways = [token || tokenFile ? 'token' : '', username ? 'username' : '', exec ? 'exec' : '', provider ? 'auth-provider' : ''].filter(
    Boolean,
  );
  if (ways.length > 1) throw new KubeconfigError(`kubeconfig ${user.file}: ${user.field}: set only one of ${ways.join(', ')}`);
  // As client-go does: a token file, re-read as it rotates, takes precedence over an inline token.
  if (tokenFile) return { kind: 'tokenFile', path: relativeTo(user, tokenFile) };
  if (token) return { kind: 'token', token };
  if (username) return { kind: 'basic', username, password: optionalString(user, 'password') ?? '' };
  if (exec) return { kind: 'exec', exec: execOf({ file: user.file, field: `${user.field}.exec`, value: exec as Fields }) };
  if (provider) return authProviderOf({ file: user.file, field: `${user.field}.auth-provider`, value: provider as Fields });
  return { kind: 'none' };
}

function authProviderOf(provider: Named): ClusterAuth {
  if (typeof provider.value !== 'object' || Array.isArray(provider.value)) {
    throw new KubeconfigError(`kubeconfig ${provider.file}: ${provider.field}: must be a mapping`);
  }
  const name = requiredString(provider, 'name');
  const config = provider.value.config ?? {};
  if (typeof config !== 'object' || Array.isArray(config) || Object.values(config).some((value) => typeof value !== 'string')) {
    throw new KubeconfigError(`${where(provider, 'config')}: must be a mapping of strings`);
  }
  return { kind: 'authProvider', name, config: { ...(config as Record<string, string>) } };
}

function execOf(exec: Named): ExecPluginConfig {
  if (typeof exec.value !== 'object' || Array.isArray(exec.value))
    throw new KubeconfigError(`kubeconfig ${exec.file}: ${exec.field}: must be a mapping`);
  const apiVersion = requiredString(exec, 'apiVersion');
  if (!EXEC_API_VERSIONS.includes(apiVersion)) {
    throw new KubeconfigError(`${where(exec, 'apiVersion')}: "${apiVersion}" is not one of ${EXEC_API_VERSIONS.join(', ')}`);
  }
  if (exec.value.interactiveMode === 'Always') {
    throw new KubeconfigError(`${where(exec, 'interactiveMode')}: "Always" needs a terminal, and Wren runs without one`);
  }
  const command = requiredString(exec, 'command');
  const args = exec.value.args ?? [];
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string'))
    throw new KubeconfigError(`${where(exec, 'args')}: must be a list of strings`);
  const env = exec.value.env ?? [];
  if (!Array.isArray(env) || env.some((entry) => typeof entry?.name !== 'string' || typeof entry?.value !== 'string')) {
    throw new KubeconfigError(`${where(exec, 'env')}: must be a list of {name, value} strings`);
  }
  const installHint = optionalString(exec, 'installHint');
  return {
    // A command with a slash in it is a path, relative to the kubeconfig; a bare name is looked up on PATH.
    command: command.includes('/') ? relativeTo(exec, command) : command,
    args: args as string[],
    env: (env as { name: string; value: string }[]).map(({ name, value }) => ({ name, value })),
    apiVersion,
    provideClusterInfo: exec.value.provideClusterInfo === true,
    ...(installHint ? { installHint } : {}),
  };
}
