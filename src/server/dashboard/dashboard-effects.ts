// What the dashboard does to the cluster, with the operator's own client once the caller's token has
// been checked: read an object's events, and patch exactly what the CLI patches for the same action.
import { formatRequest, REQUEST_ANNOTATION } from '../../canary/requests.ts';
import { requestSync } from '../../gitsync/sync-request.ts';
import type { KubeClient } from '../../kube/client.ts';
import { CANARIES, EVENTS, GIT_SYNCS } from '../../kube/resource-types.ts';
import type { DashboardEffects } from './api-router.ts';
import { eventViews, type KubeEvent } from './event-view.ts';

export function dashboardEffects(client: KubeClient): DashboardEffects {
  return {
    events: async (kind, namespace, name) => {
      const fieldSelector = `involvedObject.kind=${kind},involvedObject.name=${name}`;
      return eventViews((await client.list<KubeEvent>(EVENTS, namespace, { fieldSelector })).items);
    },
    requestCanary: async (namespace, name, action) => {
      const annotations = { [REQUEST_ANNOTATION]: formatRequest(action, new Date()) };
      await client.mergePatch(CANARIES, namespace, name, { metadata: { annotations } });
    },
    requestSync: (namespace, name) => requestSync(client, namespace, name),
    rollback: async (namespace, name, revision) => {
      await client.mergePatch(GIT_SYNCS, namespace, name, { spec: { rollbackTo: revision } });
    },
  };
}
