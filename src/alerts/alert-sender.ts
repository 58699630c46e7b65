// Sends a Canary's alerts to the AlertProviders it names, filtered by each alert's severity. The
// receiver's URL usually carries its credentials, so it comes from a Secret and is never logged.
// Sending happens in the background and never holds up a reconcile.
import type { AlertProvider } from '../api/alert-provider.ts';
import type { Canary } from '../api/canary.ts';
import { errorMessage } from '../errors.ts';
import { isNotFound } from '../kube/api-error.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Informer } from '../kube/informer.ts';
import { SECRETS } from '../kube/resource-types.ts';
import type { Logger } from '../log.ts';
import type { ConfigObject } from '../workload/config-copies.ts';
import { alertBody, passesSeverity, type Alert } from './alert-message.ts';

const SEND_TIMEOUT_MS = 10_000;

export class AlertSender {
  private readonly client: KubeClient;
  private readonly providers: Informer<AlertProvider>;
  private readonly log: Logger;

  constructor(client: KubeClient, providers: Informer<AlertProvider>, log: Logger) {
    this.client = client;
    this.providers = providers;
    this.log = log.child({ component: 'alerts' });
  }

  send(canary: Canary, alert: Alert): void {
    for (const entry of canary.spec.analysis.alerts ?? []) {
      if (!passesSeverity(alert.severity, entry.severity)) continue;
      const namespace = entry.providerRef.namespace ?? canary.metadata?.namespace ?? '';
      void this.deliver(namespace, entry.providerRef.name, alert).catch((error: unknown) =>
        this.log.warn(
          { alert: entry.name, provider: `${namespace}/${entry.providerRef.name}`, err: errorMessage(error) },
          'alert not delivered',
        ),
      );
    }
  }

  private async deliver(namespace: string, name: string, alert: Alert): Promise<void> {
    const provider = this.providers.get(`${namespace}/${name}`);
    if (!provider) throw new Error('AlertProvider not found');
    const address = await this.addressOf(namespace, provider);
    const response = await fetch(address, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(alertBody(provider.spec.type, alert, provider.spec)),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    // The address is a secret: report the receiver by its AlertProvider name only.
    if (response.status >= 300) throw new Error(`the receiver answered HTTP ${response.status}`);
  }

  private async addressOf(namespace: string, provider: AlertProvider): Promise<string> {
    if (!provider.spec.secretRef) {
      if (!provider.spec.address) throw new Error('the AlertProvider has neither address nor secretRef');
      return provider.spec.address;
    }
    let secret: ConfigObject;
    try {
      secret = await this.client.get<ConfigObject>(SECRETS, namespace, provider.spec.secretRef.name);
    } catch (error) {
      if (isNotFound(error)) throw new Error(`Secret ${namespace}/${provider.spec.secretRef.name} does not exist`);
      throw error;
    }
    const encoded = secret.data?.address;
    if (!encoded) throw new Error(`Secret ${provider.spec.secretRef.name} has no key "address"`);
    return Buffer.from(encoded, 'base64').toString('utf8').trim();
  }
}
