// Reads a ClusterAccess into what a connection needs: TLS material and the Authorization header.
// Files are read on every call so rotated certificates and service-account tokens are picked up; an
// exec plugin runs only when its last answer is missing, near its expiry, or was refused (invalidate).
// Legacy auth providers go through auth-provider.ts.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { AuthProviderCredentials } from './auth-provider.ts';
import type { ClusterAccess, ExecPluginConfig, Pem } from './cluster-access.ts';
import { credentialUsable, execInfo, parseExecCredential, type ExecCredential } from './exec-credential.ts';

const EXEC_TIMEOUT_MS = 60_000;

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  servername?: string;
}

export interface ReadCredentials {
  tls: TlsMaterial;
  headers: Record<string, string>;
}

export class ClusterCredentials {
  readonly access: ClusterAccess;
  private execAnswer: ExecCredential | undefined;
  private readonly authProvider: AuthProviderCredentials | undefined;

  constructor(access: ClusterAccess) {
    this.access = access;
    if (access.auth.kind === 'authProvider') this.authProvider = new AuthProviderCredentials(access.server, access.auth);
  }

  async read(): Promise<ReadCredentials> {
    const { tls: config, auth } = this.access;
    const tls: TlsMaterial = {
      ...(config.ca ? { ca: await readPem(config.ca, 'certificate-authority') } : {}),
      ...(config.clientCert ? { cert: await readPem(config.clientCert, 'client-certificate') } : {}),
      ...(config.clientKey ? { key: await readPem(config.clientKey, 'client-key') } : {}),
      rejectUnauthorized: !config.insecureSkipVerify,
      ...(config.serverName ? { servername: config.serverName } : {}),
    };
    const headers: Record<string, string> = {};
    switch (auth.kind) {
      case 'token':
        headers.Authorization = `Bearer ${auth.token}`;
        break;
      case 'tokenFile':
        headers.Authorization = `Bearer ${(await readFileNamed(auth.path, 'tokenFile')).trim()}`;
        break;
      case 'basic':
        headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
        break;
      case 'exec': {
        const answer = await this.execCredential(auth.exec, tls.ca);
        if (answer.token) headers.Authorization = `Bearer ${answer.token}`;
        if (answer.clientCert) Object.assign(tls, { cert: answer.clientCert, key: answer.clientKey });
        break;
      }
      case 'authProvider': {
        const authorization = await this.authProvider?.authorization();
        if (authorization) headers.Authorization = authorization;
        break;
      }
      case 'none':
        break;
    }
    return { tls, headers };
  }

  /** The API server refused the credential: the next read asks the exec plugin again. */
  invalidate(): void {
    this.execAnswer = undefined;
  }

  private async execCredential(exec: ExecPluginConfig, caPem: string | undefined): Promise<ExecCredential> {
    if (credentialUsable(this.execAnswer, Date.now())) return this.execAnswer;
    const info = execInfo(exec, {
      server: this.access.server,
      insecureSkipVerify: this.access.tls.insecureSkipVerify,
      ...(caPem ? { caPem } : {}),
      ...(this.access.tls.serverName ? { serverName: this.access.tls.serverName } : {}),
    });
    const env = { ...process.env, ...Object.fromEntries(exec.env.map(({ name, value }) => [name, value])), KUBERNETES_EXEC_INFO: info };
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(exec.command, exec.args, { env, timeout: EXEC_TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, out, stderr) => {
        if (!error) return resolve(out);
        const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' && exec.installHint ? `\n${exec.installHint}` : '';
        const said = stderr.trim().split('\n').slice(-3).join(' | ');
        reject(
          new Error(`exec credential plugin ${exec.command} failed: ${error.message.split('\n')[0]}${said ? `: ${said}` : ''}${hint}`),
        );
      });
    });
    this.execAnswer = parseExecCredential(exec.command, exec.apiVersion, stdout);
    return this.execAnswer;
  }
}

async function readPem(pem: Pem, field: string): Promise<string> {
  return 'data' in pem ? pem.data : readFileNamed(pem.file, field);
}

async function readFileNamed(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`kubeconfig ${field}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
