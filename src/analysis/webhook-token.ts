// The token a Canary's webhook sends (spec.analysis.webhooks[].secretRef): key "token" of a Secret in
// the Canary's own namespace, never another's. It is read through the CredentialStore, so the watch
// cache holds only a checksum and the data is read when it changed. Messages name the Secret, never
// its value.
import type { Canary } from '../api/canary.ts';
import type { CredentialStore } from './credentials.ts';
import type { WebhookSpec } from './webhook-call.ts';

export interface WebhookTokens {
  /** The hook's token, undefined when it has no secretRef; throws with a message naming the Secret. */
  tokenFor(canary: Canary, hook: WebhookSpec): Promise<string | undefined>;
}

// Visible ASCII with inner spaces: what an Authorization header can carry.
const HEADER_SAFE = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

export class SecretWebhookTokens implements WebhookTokens {
  private readonly credentials: CredentialStore;

  constructor(credentials: CredentialStore) {
    this.credentials = credentials;
  }

  async tokenFor(canary: Canary, hook: WebhookSpec): Promise<string | undefined> {
    if (!hook.secretRef) return undefined;
    const namespace = canary.metadata?.namespace ?? '';
    const secret = `Secret ${namespace}/${hook.secretRef.name} (secretRef of webhook "${hook.name}")`;
    const { token } = await this.credentials.get(namespace, hook.secretRef.name, `secretRef of webhook "${hook.name}"`);
    if (!token) throw new Error(`${secret} has no key "token"`);
    if (!HEADER_SAFE.test(token)) throw new Error(`${secret}: its key "token" holds characters an HTTP header cannot carry`);
    return token;
  }
}

/** For an analyzer without Secret access: a hook that names a Secret fails rather than go without it. */
export const noWebhookTokens: WebhookTokens = {
  async tokenFor(_canary, hook) {
    if (hook.secretRef) throw new Error(`webhook "${hook.name}" names a Secret (secretRef), but no Secret reader is configured`);
    return undefined;
  },
};
