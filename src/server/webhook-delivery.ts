// What the webhook routers share: the error answer for bodies that cannot be read, and asking each
// matched object to act now, logging (not failing on) the ones whose request did not go through.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../log.ts';

export const WEBHOOK_BODY_LIMIT = '1mb';

/** 413 for a body over the limit, 400 for one that is not JSON, the body parser's own status otherwise. */
export function webhookErrorHandler(log: Logger, hook: string): ErrorRequestHandler {
  return (error, _request, response, next) => {
    const failure = error as { type?: string; status?: number };
    if (failure.type === 'entity.too.large')
      return void response.status(413).json({ error: `the payload is larger than ${WEBHOOK_BODY_LIMIT}` });
    if (failure.type === 'entity.parse.failed') return void response.status(400).json({ error: 'the payload is not JSON' });
    if (failure.status !== undefined && failure.status < 500)
      return void response.status(failure.status).json({ error: 'unreadable request body' });
    log.error({ err: error }, `${hook} webhook failed`);
    if (response.headersSent) return next(error);
    response.status(500).json({ error: 'internal error' });
  };
}

export interface WebhookTarget {
  namespace: string;
  name: string;
}

/** Requests each target, and returns "namespace/name" of those whose request went through. */
export async function requestEach(
  targets: readonly WebhookTarget[],
  request: (namespace: string, name: string) => Promise<void>,
  onFailure: (id: string, error: unknown) => void,
): Promise<string[]> {
  const results = await Promise.allSettled(targets.map((target) => request(target.namespace, target.name)));
  const done: string[] = [];
  results.forEach((result, index) => {
    const id = `${targets[index]?.namespace}/${targets[index]?.name}`;
    if (result.status === 'fulfilled') done.push(id);
    else onFailure(id, result.reason);
  });
  return done;
}
