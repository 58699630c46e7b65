// One webhook call with Flagger's payload. A 2xx answer means yes (check passed, gate open).
import { Agent } from 'undici';
import type { Canary } from '../api/canary.ts';
import { parseDuration } from '../api/duration.ts';
import { errorMessage } from '../errors.ts';

export type WebhookSpec = NonNullable<Canary['spec']['analysis']['webhooks']>[number];

export interface WebhookPayload {
  name: string;
  namespace: string;
  phase: string;
  checksum: string;
  metadata?: Record<string, string>;
}

export interface WebhookResult {
  ok: boolean;
  status?: number;
  message: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });

export async function callWebhook(hook: WebhookSpec, payload: WebhookPayload): Promise<WebhookResult> {
  const timeoutMs = (hook.timeout && parseDuration(hook.timeout)) || DEFAULT_TIMEOUT_MS;
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...payload, metadata: hook.metadata ?? {} }),
      signal: AbortSignal.timeout(timeoutMs),
      ...(hook.disableTLS ? { dispatcher: insecureAgent } : {}),
    } as RequestInit);
    const text = (await response.text()).slice(0, 200).trim();
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, message: ok ? `HTTP ${response.status}` : `HTTP ${response.status}${text ? `: ${text}` : ''}` };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { ok: false, message: timedOut ? `no answer within ${timeoutMs / 1000}s` : errorMessage(error) };
  }
}
