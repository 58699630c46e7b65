// POST /hooks/registry: a push to a registry makes the ImagePolicies of that repository scan now,
// instead of at their next interval. The delivery proves it knows the webhook token with
// Authorization: Bearer <token> (distribution notifications, Harbor's auth header) or, for senders
// that cannot set headers (Docker Hub), as the last path segment: /hooks/registry/<token>. The token
// never reaches a log line. Mount with app.use('/hooks/registry', createRegistryWebhookRouter(...)).
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../log.ts';
import { matchingPolicies, type PolicySource } from './registry-webhook/match.ts';
import { pushedImages } from './registry-webhook/pushed-images.ts';
import { safeEqual } from './safe-equal.ts';
import { requestEach, WEBHOOK_BODY_LIMIT, webhookErrorHandler } from './webhook-delivery.ts';

export interface RegistryWebhookDeps {
  /** The shared token; undefined when none is configured, which rejects every delivery. */
  token(): Promise<string | undefined>;
  policies(): PolicySource[];
  requestScan(namespace: string, name: string): Promise<void>;
  log: Logger;
}

export function createRegistryWebhookRouter(deps: RegistryWebhookDeps): Router {
  const router = express.Router();
  // Distribution sends application/vnd.docker.distribution.events.v1+json, others application/json.
  const body = express.json({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  router.post('/', body, (request, response) => handleDelivery(deps, request, response, undefined));
  router.post('/:token', body, (request, response) => handleDelivery(deps, request, response, request.params.token));
  router.use(webhookErrorHandler(deps.log, 'registry'));
  return router;
}

async function handleDelivery(
  deps: RegistryWebhookDeps,
  request: Request,
  response: Response,
  pathToken: string | undefined,
): Promise<void> {
  const expected = await deps.token();
  if (!expected) {
    deps.log.warn({ remote: request.ip }, 'registry webhook delivery rejected: no webhook token is configured');
    response.status(401).json({ error: 'no webhook token is configured' });
    return;
  }
  const given = pathToken ?? /^Bearer\s+(.+)$/i.exec(request.get('authorization') ?? '')?.[1]?.trim();
  if (given === undefined || !safeEqual(given, expected)) {
    const reason =
      given === undefined
        ? 'no token: send Authorization: Bearer <token> or POST to /hooks/registry/<token>'
        : 'the token is not the webhook token';
    deps.log.warn({ remote: request.ip, reason }, 'registry webhook delivery rejected');
    response.status(401).json({ error: reason });
    return;
  }
  const pushed = pushedImages(request.body);
  const targets = matchingPolicies(pushed, deps.policies());
  const scanning = await requestEach(targets, deps.requestScan, (id, error) =>
    deps.log.error({ imagePolicy: id, err: error }, 'registry webhook could not request a scan'),
  );
  const images = [
    ...new Set(pushed.map((image) => `${image.host ? `${image.host}/` : ''}${image.path}${image.tag ? `:${image.tag}` : ''}`)),
  ];
  // A registry with notifications also reports pulls (the policies' own scans among them): debug.
  if (images.length === 0) deps.log.debug('registry webhook delivery accepted: no push in it');
  else deps.log.info({ images, scanning }, 'registry webhook delivery accepted');
  response.status(202).json({ scanning });
}
