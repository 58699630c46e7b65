// POST /hooks/git: a push to a repository syncs the GitSyncs that deliver it now, instead of at their
// next interval. Only deliveries that prove they know the webhook secret change anything; the secret
// and the signatures never reach a log line. Mount with app.use('/hooks/git', createGitWebhookRouter(...)).
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../log.ts';
import { matchingGitSyncs, repositoryKey, type GitSyncSource } from './git-webhook/match.ts';
import { parsePayload, repositoryUrls } from './git-webhook/payload.ts';
import { verifyDelivery } from './git-webhook/verify.ts';
import { requestEach, WEBHOOK_BODY_LIMIT, webhookErrorHandler } from './webhook-delivery.ts';

export interface GitWebhookDeps {
  /** The shared secret; undefined when none is configured, which rejects every delivery. */
  secret(): Promise<string | undefined>;
  gitSyncs(): GitSyncSource[];
  requestSync(namespace: string, name: string): Promise<void>;
  log: Logger;
}

export function createGitWebhookRouter(deps: GitWebhookDeps): Router {
  const router = express.Router();
  // The raw bytes: a signature covers the body exactly as sent.
  router.post('/', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), (request, response) =>
    handleDelivery(deps, request, response),
  );
  router.use(webhookErrorHandler(deps.log, 'git'));
  return router;
}

async function handleDelivery(deps: GitWebhookDeps, request: Request, response: Response): Promise<void> {
  const secret = await deps.secret();
  if (!secret) {
    deps.log.warn({ remote: request.ip }, 'git webhook delivery rejected: no webhook secret is configured, so no delivery can be verified');
    response.status(401).json({ error: 'no webhook secret is configured' });
    return;
  }
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const verification = verifyDelivery((name) => request.get(name), body, secret);
  if (!verification.verified) {
    deps.log.warn({ remote: request.ip, reason: verification.reason }, 'git webhook delivery rejected');
    response.status(401).json({ error: verification.reason });
    return;
  }
  if (verification.via === 'github' && request.get('x-github-event') === 'ping') {
    response.status(200).json({ ok: true, event: 'ping' });
    return;
  }
  const payload = parsePayload(body, request.get('content-type'));
  if (payload === undefined) {
    response.status(400).json({ error: 'the payload is not JSON' });
    return;
  }
  const urls = repositoryUrls(payload);
  if (urls.length === 0) {
    response.status(400).json({ error: 'the payload names no repository URL' });
    return;
  }
  const targets = matchingGitSyncs(urls, deps.gitSyncs());
  const synced = await requestEach(targets, deps.requestSync, (id, error) =>
    deps.log.error({ gitSync: id, err: error }, 'git webhook could not request a sync'),
  );
  // Normalised URLs only: the payload's own may carry credentials.
  const repositories = [...new Set(urls.map(repositoryKey).filter((key) => key !== undefined))];
  deps.log.info({ via: verification.via, repositories, synced }, 'git webhook delivery accepted');
  response.status(202).json({ synced });
}
