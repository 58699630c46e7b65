// What it takes to reach one API server: where it is, how to trust it, and who we are. Built from
// kubeconfig files (kubeconfig-resolve.ts) or the in-cluster service account (kubeconfig.ts); read into
// TLS material and headers by credentials.ts.

export interface ExecPluginConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  provideClusterInfo: boolean;
  installHint?: string;
}

export type ClusterAuth =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  | { kind: 'tokenFile'; path: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'exec'; exec: ExecPluginConfig }
  /** A legacy `auth-provider` entry (oidc, azure, gcp): handed to client-node (auth-provider.ts). */
  | { kind: 'authProvider'; name: string; config: Record<string, string> };

/** A file on disk or its contents inline (kubeconfig's `-data` fields, base64-decoded). */
export type Pem = { file: string } | { data: string };

export interface ClusterAccess {
  /** The kubeconfig context this came from, or "in-cluster". */
  context: string;
  /** Without a trailing slash. */
  server: string;
  /** The context's default namespace, when it names one. */
  namespace?: string;
  tls: {
    ca?: Pem;
    clientCert?: Pem;
    clientKey?: Pem;
    insecureSkipVerify: boolean;
    serverName?: string;
  };
  auth: ClusterAuth;
}

/** The file a PEM is read from, when it is one and not inline data. */
export function pemFile(pem: Pem | undefined): string | undefined {
  return pem && 'file' in pem ? pem.file : undefined;
}
