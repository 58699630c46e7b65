// A registry token server (the distribution token auth spec) in the test process: it checks Basic
// credentials and hands out RS256 JWTs granting whatever repository access was asked for. The
// registry trusts the signer through a self-signed certificate made by the openssl CLI; the token
// carries that certificate in its x5c header, which is how distribution 2.8 finds the key.
import { generateKeyPairSync, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { runChecked } from '../../src/localcluster/run-command.ts';

const TOKEN_LIFETIME_SECONDS = 300;

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** The PEM certificate the registry's rootcertbundle points at. */
  certificatePath: string;
  /** How many tokens were asked for, so a test can see that a client reuses its token. */
  requests(): number;
  close(): Promise<void>;
}

export async function startTokenServer(dir: string, credentials: { username: string; password: string }): Promise<TokenServer> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPath = join(dir, 'token-signer.key');
  const certificatePath = join(dir, 'token-signer.crt');
  writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await runChecked('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    keyPath,
    '-subj',
    '/CN=wren-test-token-issuer',
    '-days',
    '2',
    '-out',
    certificatePath,
  ]);
  const x5c = [new X509Certificate(readFileSync(certificatePath)).raw.toString('base64')];
  const service = 'wren-test-registry';
  const issuer = 'wren-test-token-issuer';

  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!hasCredentials(request, credentials)) {
      response
        .writeHead(401, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ error: 'unauthorized', details: 'wrong username or password' }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: credentials.username,
      aud: url.searchParams.get('service') ?? service,
      exp: now + TOKEN_LIFETIME_SECONDS,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: url.searchParams
        .getAll('scope')
        .flatMap((scope) => scope.split(' '))
        .flatMap(grantedAccess),
    };
    const token = jwt(claims, privateKey, x5c);
    response
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(
        JSON.stringify({ token, access_token: token, expires_in: TOKEN_LIFETIME_SECONDS, issued_at: new Date(now * 1000).toISOString() }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certificatePath,
    requests: () => requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** "repository:team/app:pull,push" → the access claim granting exactly that. */
function grantedAccess(scope: string): { type: string; name: string; actions: string[] }[] {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return [];
  return [
    {
      type: scope.slice(0, first),
      name: scope.slice(first + 1, last),
      actions: scope
        .slice(last + 1)
        .split(',')
        .filter(Boolean),
    },
  ];
}

function jwt(claims: object, key: KeyObject, x5c: string[]): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ typ: 'JWT', alg: 'RS256', x5c })}.${encode(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

function hasCredentials(request: IncomingMessage, credentials: { username: string; password: string }): boolean {
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return request.headers.authorization === expected;
}
