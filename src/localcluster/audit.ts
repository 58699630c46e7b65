// The local API server keeps an audit log of every request with its user agent, so benchmarks can
// count exactly what Wren asked of it (kube-apiserver's own metrics have no per-client label).
import { join } from 'node:path';
import { CLUSTER_NAME } from './cluster-name.ts';
import { CLUSTER_DIR, KWOK_WORKDIR } from './paths.ts';

export const AUDIT_POLICY_PATH = join(CLUSTER_DIR, 'audit-policy.yaml');
export const AUDIT_LOG_PATH = join(KWOK_WORKDIR, 'clusters', CLUSTER_NAME, 'logs', 'audit.log');

// One line per finished request; node heartbeats and health probes are left out as noise.
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived", "ResponseStarted"]
rules:
  - level: None
    namespaces: ["kube-node-lease"]
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version", "/metrics"]
  - level: Metadata
`;
