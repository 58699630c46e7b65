// One webhook, with Flagger's payload, its timeout and its retries. A 2xx answer means yes (check
// passed, gate open, rollback wanted); anything else, or no answer, means no. A hook with a token
// (secretRef) sends it as Authorization: Bearer; undici drops it on a redirect to another origin.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch, type Response } from 'undici';
import type { Canary } from '../api/canary.ts';
import { parseDuration } from '../api/duration.ts';
import { errorMessage } from '../errors.ts';
import { backoffDelay } from '../kube/backoff.ts';

export type WebhookSpec = NonNullable<Canary['spec']['analysis']['webhooks']>[number];

export interface WebhookPayload {
  name: string;
  namespace: string;
  phase: string;
  checksum: string;
  metadata?: Record<string, string>;
}

export interface WebhookCallOptions {
  /** Metadata added to the hook's own. */
  metadata?: Record<string, string>;
  /** Sent as Authorization: Bearer. */
  token?: string;
}

export interface WebhookResult {
  ok: boolean;
  status?: number;
  message: string;
  attempts: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const RETRY_BACKOFF = { baseMs: 1000, maxMs: 15_000, jitter: 0.2 };
const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });

async function callOnce(
  hook: WebhookSpec,
  body: string,
  token: string | undefined,
  timeoutMs: number,
): Promise<Omit<WebhookResult, 'attempts'>> {
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      ...(hook.disableTLS ? { dispatcher: insecureAgent } : {}),
    });
    // The answer goes into status: a hook that echoes the request must not put the token there.
    const answer = await response.text();
    const text = (token ? answer.replaceAll(token, '[redacted]') : answer).slice(0, 200).trim();
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, message: ok ? `HTTP ${response.status}` : `HTTP ${response.status}${text ? `: ${text}` : ''}` };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return { ok: false, message: timedOut ? `no answer within ${timeoutMs / 1000}s` : errorMessage(error) };
  }
}

/**
 * Calls the hook, retrying a failed call `retries` times with backoff. Only failures to get an
 * answer or 5xx answers are retried: a 4xx is a deliberate "no" (a closed gate) and stands.
 */
export async function callWebhook(hook: WebhookSpec, payload: WebhookPayload, options: WebhookCallOptions = {}): Promise<WebhookResult> {
  const timeoutMs = (hook.timeout && parseDuration(hook.timeout)) || DEFAULT_TIMEOUT_MS;
  const body = JSON.stringify({ ...payload, metadata: { ...(hook.metadata ?? {}), ...(options.metadata ?? {}) } });
  const attempts = 1 + (hook.retries ?? 0);
  let result = await callOnce(hook, body, options.token, timeoutMs);
  for (let attempt = 2; attempt <= attempts && !result.ok && (result.status === undefined || result.status >= 500); attempt++) {
    await sleep(backoffDelay(RETRY_BACKOFF, attempt - 1));
    result = await callOnce(hook, body, options.token, timeoutMs);
  }
  return { ...result, attempts };
}
