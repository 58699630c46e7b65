// Keeps what the router needs in the cluster while the data plane runs: its ServiceAccount, token and
// RBAC, and the classes and Gateway users route through, all in wren-system. Deleting that namespace
// (uninstalling deploy/ does) would otherwise leave Traefik Unauthorized and every route dead until
// the next `wren cluster up`. Each tick reads two objects; only when one is missing or the token
// changed does it apply them again and restart the router with the new token.
import { isNotFound } from '../../kube/api-error.ts';
import type { KubeClient } from '../../kube/client.ts';
import type { KubeObject } from '../../kube/objects.ts';
import type { ResourceType } from '../../kube/resource-types.ts';
import { SECRETS } from '../../kube/resource-types.ts';
import { GATEWAYS } from '../../routing/route-types.ts';
import { LOCAL_GATEWAY, ROUTER_NAMESPACE, ROUTER_SERVICE_ACCOUNT, routerAccess, routerClasses } from './router-config.ts';

export const ROUTER_TOKEN_SECRET = `${ROUTER_SERVICE_ACCOUNT}-token`;

/** What the keeper saw this tick. */
export interface RouterAccessSeen {
  gatewayExists: boolean;
  /** The ServiceAccount token in its Secret; undefined while the Secret is missing or not yet issued. */
  token: string | undefined;
  /** The token the running router was started with. */
  routerToken: string;
}

export type RouterAccessAction = 'nothing' | 'apply' | 'restart-router';

/** Apply when an object is gone; restart the router once a token other than its own is issued. */
export function routerAccessAction(seen: RouterAccessSeen): RouterAccessAction {
  if (!seen.gatewayExists || seen.token === undefined) return 'apply';
  return seen.token === seen.routerToken ? 'nothing' : 'restart-router';
}

export async function readRouterToken(client: KubeClient): Promise<string | undefined> {
  try {
    const secret = await client.get<KubeObject & { data?: { token?: string } }>(SECRETS, ROUTER_NAMESPACE, ROUTER_TOKEN_SECRET);
    return secret.data?.token ? Buffer.from(secret.data.token, 'base64').toString('utf8') : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function gatewayExists(client: KubeClient): Promise<boolean> {
  try {
    await client.get(GATEWAYS, ROUTER_NAMESPACE, LOCAL_GATEWAY);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function typeOf(object: KubeObject): ResourceType {
  const apiVersion = object.apiVersion ?? 'v1';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const kind = object.kind ?? '';
  const plural = kind.endsWith('s') ? `${kind.toLowerCase()}es` : `${kind.toLowerCase()}s`;
  return { group: group ?? '', version: version ?? 'v1', kind, plural, namespaced: object.metadata?.namespace !== undefined };
}

/** Server-side applies the router's access and classes; the caller's next tick sees the result. */
export async function applyRouterObjects(client: KubeClient, httpPort: number): Promise<void> {
  for (const object of [...routerAccess(), ...routerClasses(httpPort)]) {
    await client.apply(typeOf(object), object, { fieldManager: 'wren-local-data-plane' });
  }
}

/** One tick: what to do, from what the cluster holds now. */
export async function checkRouterAccess(client: KubeClient, routerToken: string): Promise<{ action: RouterAccessAction; token?: string }> {
  const [exists, token] = await Promise.all([gatewayExists(client), readRouterToken(client)]);
  return { action: routerAccessAction({ gatewayExists: exists, token, routerToken }), ...(token ? { token } : {}) };
}
