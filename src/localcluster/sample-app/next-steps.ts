// What `npm start` prints once the sample release runs: where to look and what to try.
import { SAMPLE_APP, SAMPLE_HOST, SAMPLE_NAMESPACE, SAMPLE_USERS_RATE } from './manifests.ts';

export interface NextStepsFacts {
  binDir: string;
  kubeconfig: string;
  router: string;
  prometheus: string;
  patchDir: string;
}

export function nextSteps(facts: NextStepsFacts): string {
  const patch = (file: string) => `kubectl -n ${SAMPLE_NAMESPACE} patch deployment ${SAMPLE_APP} --patch-file ${facts.patchDir}/${file}`;
  return `
Wren is running on the embedded cluster with a sample release: ${SAMPLE_NAMESPACE}/${SAMPLE_APP}, the demo app v1.0.0
behind Traefik, with a Canary judged by Traefik's request success rate and latency. Simulated users send
${SAMPLE_USERS_RATE} requests/s through the router; a summary of what they got is logged every 30 s.

In another terminal:

  export PATH=${facts.binDir}:$PATH KUBECONFIG=${facts.kubeconfig}

  # the app, through the router
  curl -H 'Host: ${SAMPLE_HOST}' ${facts.router}/
  # the release, live
  wren status ${SAMPLE_APP} -n ${SAMPLE_NAMESPACE} --watch

  # ship v2: traffic moves 20 % -> 40 % -> 60 % while the checks pass, then v2 is promoted
  ${patch('v2.yaml')}
  # ship a v3 that fails 30 % of requests: request-success-rate fails and Wren rolls it back
  ${patch('v3-faulty.yaml')}
  # ship a v4 that answers in 800 ms: request-duration fails and Wren rolls it back
  ${patch('v4-slow.yaml')}
  # wait for the release to end: exit 0 when promoted, 1 when rolled back
  wren status ${SAMPLE_APP} -n ${SAMPLE_NAMESPACE} --until-done

Prometheus: ${facts.prometheus} (traefik_service_requests_total, http_request_duration_seconds)
`;
}
