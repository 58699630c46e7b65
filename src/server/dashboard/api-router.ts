// The dashboard's JSON API and its live stream. Reads come from the watch caches; each request is
// first checked (gate.ts) against what the caller may do in Kubernetes; actions are then carried out
// with the operator's own client, exactly as the CLI asks for them (an annotation patch).
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { Permission } from '../../kube/token-review.ts';
import type { AccessDecision } from './access-decision.ts';
import { canaryDetail, canaryRow } from './canary-view.ts';
import type { EventView } from './event-view.ts';
import { DashboardFeed, type DashboardCaches, type FeedMessage } from './feed.ts';
import { checkAccess, type Reviewer } from './gate.ts';
import { gitSyncDetail, gitSyncRow } from './gitsync-view.ts';
import { pickRollbackRevision } from '../../gitsync/rollback-revision.ts';
import { imagePolicyDetail, imagePolicyRow } from './image-policy-view.ts';
import {
  actionPermission,
  CANARY_ACTIONS,
  DASHBOARD_KINDS,
  eventsPermission,
  readPermission,
  type CanaryAction,
  type DashboardKind,
} from './permissions.ts';
import { encodeSse, sseHeartbeat } from './sse.ts';

export interface DashboardEffects {
  events(kind: string, namespace: string, name: string): Promise<EventView[]>;
  requestCanary(namespace: string, name: string, action: CanaryAction): Promise<void>;
  requestSync(namespace: string, name: string): Promise<void>;
  /** Holds the GitSync at `revision` (spec.rollbackTo), as `wren sync rollback` does. */
  rollback(namespace: string, name: string, revision: string): Promise<void>;
}

export interface DashboardApiOptions {
  caches: DashboardCaches;
  reviewer: Reviewer;
  effects: DashboardEffects;
  anonymousRead: boolean;
  log: Logger;
  heartbeatMs?: number;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const ROWS: Record<DashboardKind, (object: never) => unknown> = {
  canaries: canaryRow,
  gitsyncs: gitSyncRow,
  imagepolicies: imagePolicyRow,
};

function namespaceParam(request: Request): string | undefined | Error {
  const value = request.query.namespace;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !NAME.test(value)) return new Error('namespace: give a namespace name');
  return value;
}

function refuse(response: Response, decision: Extract<AccessDecision, { allow: false }>): void {
  response.status(decision.status).json({ error: decision.status === 401 ? 'Unauthorized' : 'Forbidden', message: decision.reason });
}

export function createDashboardApi(options: DashboardApiOptions): Router {
  const { caches, reviewer, effects, anonymousRead, log } = options;
  const feed = new DashboardFeed(caches);
  const router = express.Router();
  const gate = (request: Request, kind: 'read' | 'action', permission: Permission) =>
    checkAccess(reviewer, request.headers.authorization, kind, anonymousRead, permission);

  /** Runs a handler and turns a failure into a JSON 502 (the API server refused or was unreachable). */
  const handle = (handler: (request: Request, response: Response) => Promise<void>) => (request: Request, response: Response) => {
    handler(request, response).catch((error: unknown) => {
      log.warn({ err: (error as Error).message, path: request.path }, 'dashboard request failed');
      if (!response.headersSent) response.status(502).json({ error: 'Upstream', message: (error as Error).message });
    });
  };

  router.get('/config', (_request, response) => {
    response.json({ anonymousRead, kinds: DASHBOARD_KINDS, canaryActions: CANARY_ACTIONS });
  });

  /** What the caller may read of each kind, asked of Kubernetes once per kind. */
  const readDecisions = async (request: Request, namespace: string | undefined) => {
    const decisions = {} as Record<DashboardKind, AccessDecision>;
    for (const kind of DASHBOARD_KINDS) decisions[kind] = await gate(request, 'read', readPermission(kind, namespace));
    return decisions;
  };

  /**
   * Every kind the caller may list, in one namespace or all: rows, or why not. Synchronous, so that a
   * stream can take this picture and subscribe to the changes after it without missing one.
   */
  const overview = (decisions: Record<DashboardKind, AccessDecision>, namespace: string | undefined) => {
    const body: Record<string, unknown> = {};
    const namespaces = new Set<string>();
    for (const kind of DASHBOARD_KINDS) {
      const decision = decisions[kind];
      if (!decision.allow) {
        body[kind] = { denied: decision.reason, status: decision.status };
        continue;
      }
      // Only what the caller may list: asked about one namespace, it learns no other namespace's name.
      const objects = caches[kind].list().filter((object) => !namespace || object.metadata?.namespace === namespace);
      for (const object of objects) namespaces.add(object.metadata?.namespace ?? '');
      body[kind] = {
        rows: objects.map((object) => ROWS[kind](object as never)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      };
    }
    body.namespaces = [...namespaces].sort();
    return body;
  };

  router.get(
    '/overview',
    handle(async (request, response) => {
      const namespace = namespaceParam(request);
      if (namespace instanceof Error) return void response.status(400).json({ error: 'BadRequest', message: namespace.message });
      response.json(overview(await readDecisions(request, namespace), namespace));
    }),
  );

  const detailRoute = (kind: DashboardKind, view: (object: never) => unknown) =>
    router.get(
      `/${kind}/:namespace/:name`,
      handle(async (request, response) => {
        const { namespace, name } = request.params as { namespace: string; name: string };
        const decision = await gate(request, 'read', readPermission(kind, namespace));
        if (!decision.allow) return refuse(response, decision);
        const object = caches[kind].get(`${namespace}/${name}`);
        if (!object) return void response.status(404).json({ error: 'NotFound', message: `${kind} ${namespace}/${name} not found` });
        response.json(view(object as never));
      }),
    );
  detailRoute('canaries', (canary) => canaryDetail(canary, Date.now()));
  detailRoute('gitsyncs', gitSyncDetail);
  detailRoute('imagepolicies', imagePolicyDetail);

  router.get(
    '/:kind/:namespace/:name/events',
    handle(async (request, response) => {
      const { kind, namespace, name } = request.params as { kind: string; namespace: string; name: string };
      const kinds: Record<string, string> = { canaries: 'Canary', gitsyncs: 'GitSync', imagepolicies: 'ImagePolicy' };
      const objectKind = kinds[kind];
      if (!objectKind || !NAME.test(namespace) || !NAME.test(name)) {
        return void response.status(400).json({ error: 'BadRequest', message: 'give /KIND/NAMESPACE/NAME/events' });
      }
      const decision = await gate(request, 'read', eventsPermission(namespace));
      if (!decision.allow) return refuse(response, decision);
      response.json(await effects.events(objectKind, namespace, name));
    }),
  );

  router.post(
    '/canaries/:namespace/:name/:action',
    handle(async (request, response) => {
      const { namespace, name, action } = request.params as { namespace: string; name: string; action: string };
      if (!(CANARY_ACTIONS as readonly string[]).includes(action)) {
        return void response.status(400).json({ error: 'BadRequest', message: `action: give one of ${CANARY_ACTIONS.join(', ')}` });
      }
      const decision = await gate(request, 'action', actionPermission('canaries', namespace));
      if (!decision.allow) return refuse(response, decision);
      if (!caches.canaries.get(`${namespace}/${name}`)) {
        return void response.status(404).json({ error: 'NotFound', message: `canary ${namespace}/${name} not found` });
      }
      await effects.requestCanary(namespace, name, action as CanaryAction);
      log.info({ user: decision.user, action, canary: `${namespace}/${name}` }, 'dashboard requested a canary action');
      response.status(202).json({ message: `requested ${action} of canary ${namespace}/${name}` });
    }),
  );

  router.post(
    '/gitsyncs/:namespace/:name/sync',
    handle(async (request, response) => {
      const { namespace, name } = request.params as { namespace: string; name: string };
      const decision = await gate(request, 'action', actionPermission('gitsyncs', namespace));
      if (!decision.allow) return refuse(response, decision);
      if (!caches.gitsyncs.get(`${namespace}/${name}`)) {
        return void response.status(404).json({ error: 'NotFound', message: `gitsync ${namespace}/${name} not found` });
      }
      await effects.requestSync(namespace, name);
      log.info({ user: decision.user, gitSync: `${namespace}/${name}` }, 'dashboard requested a sync');
      response.status(202).json({ message: `requested a sync of gitsync ${namespace}/${name}` });
    }),
  );

  /** ?revision=SHA (a prefix of one in the history) or none: the newest successful one before the applied. */
  router.post(
    '/gitsyncs/:namespace/:name/rollback',
    handle(async (request, response) => {
      const { namespace, name } = request.params as { namespace: string; name: string };
      const wanted = request.query.revision;
      if (wanted !== undefined && (typeof wanted !== 'string' || !/^[0-9a-f]{1,40}$/i.test(wanted))) {
        return void response.status(400).json({ error: 'BadRequest', message: 'revision: give a commit SHA or its prefix' });
      }
      const decision = await gate(request, 'action', actionPermission('gitsyncs', namespace));
      if (!decision.allow) return refuse(response, decision);
      const gitSync = caches.gitsyncs.get(`${namespace}/${name}`);
      if (!gitSync) return void response.status(404).json({ error: 'NotFound', message: `gitsync ${namespace}/${name} not found` });
      const pick = pickRollbackRevision(gitSync, wanted);
      if ('error' in pick) return void response.status(409).json({ error: 'NoSuchRevision', message: pick.error });
      if (!/^[0-9a-f]{7,40}$/.test(pick.revision)) {
        return void response
          .status(409)
          .json({ error: 'NoSuchRevision', message: `history revision ${pick.revision} is not a commit SHA` });
      }
      await effects.rollback(namespace, name, pick.revision);
      log.info({ user: decision.user, gitSync: `${namespace}/${name}`, revision: pick.revision }, 'dashboard rolled a GitSync back');
      response
        .status(202)
        .json({ message: `gitsync ${namespace}/${name} held at ${pick.revision}; auto-sync paused until wren sync resume` });
    }),
  );

  /**
   * Server-Sent Events: first "hello" with the overview as it is now, then one message per cache change
   * of a kind the caller may list. The picture and the subscription are taken in the same tick, so no
   * change falls between them (one made after a separate GET /overview would otherwise be lost).
   */
  router.get(
    '/stream',
    handle(async (request, response) => {
      const namespace = namespaceParam(request);
      if (namespace instanceof Error) return void response.status(400).json({ error: 'BadRequest', message: namespace.message });
      const decisions = await readDecisions(request, namespace);
      const allowed = new Set(DASHBOARD_KINDS.filter((kind) => decisions[kind].allow));
      const refusal = DASHBOARD_KINDS.map((kind) => decisions[kind]).find((decision) => !decision.allow);
      if (allowed.size === 0 && refusal && !refusal.allow) return refuse(response, refusal);
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      const send = (message: FeedMessage) => {
        if (!allowed.has(message.kind) || (namespace && message.namespace !== namespace)) return;
        response.write(encodeSse({ event: 'change', data: message }));
      };
      const unsubscribe = feed.subscribe(send);
      response.write(encodeSse({ event: 'hello', data: { kinds: [...allowed], overview: overview(decisions, namespace) } }));
      const heartbeat = setInterval(() => response.write(sseHeartbeat()), options.heartbeatMs ?? 15_000);
      request.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    }),
  );

  return router;
}
