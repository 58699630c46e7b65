// Legacy kubeconfig `auth-provider` entries (oidc, azure, gcp). kubectl dropped the azure and gcp ones
// in 1.26, but older kubeconfigs still carry them, oidc ones especially. They are handed to
// @kubernetes/client-node's authenticators, imported only when such an entry is in use: importing it
// costs the process about 55 MB of memory, which every other way of authenticating does without.
import type { KubeConfig } from '@kubernetes/client-node';

export class AuthProviderCredentials {
  private readonly server: string;
  private readonly provider: { name: string; config: Record<string, string> };
  // One KubeConfig for the process, so a token the provider refreshes stays refreshed.
  private kubeConfig: Promise<KubeConfig> | undefined;

  constructor(server: string, provider: { name: string; config: Record<string, string> }) {
    this.server = server;
    this.provider = provider;
  }

  /** The Authorization header value the provider gives, if any. */
  async authorization(): Promise<string | undefined> {
    this.kubeConfig ??= this.load();
    const options: { headers: Record<string, string> } = { headers: {} };
    await (await this.kubeConfig).applyToHTTPSOptions(options as Parameters<KubeConfig['applyToHTTPSOptions']>[0]);
    return options.headers.Authorization;
  }

  private async load(): Promise<KubeConfig> {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      // Only the Authorization header is taken from client-node; the transport's own connection does
      // TLS, so the agent client-node builds and this flag are never used.
      clusters: [{ name: 'cluster', server: this.server, skipTLSVerify: true }],
      users: [{ name: 'user', authProvider: { name: this.provider.name, config: { ...this.provider.config } } }],
      contexts: [{ name: 'context', cluster: 'cluster', user: 'user' }],
      currentContext: 'context',
    });
    return kubeConfig;
  }
}
