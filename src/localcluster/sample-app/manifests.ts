// The sample release `npm start` installs on the embedded cluster: the demo app (v1) behind Traefik,
// a Canary that steps it with Traefik's built-in success-rate and latency checks, and the patches
// that ship a healthy v2 and a faulty v3. Pure data; install.ts writes it.

export const SAMPLE_NAMESPACE = 'demo';
export const SAMPLE_APP = 'web';
export const SAMPLE_HOST = 'demo.localhost';
export const SAMPLE_IMAGE = 'ghcr.io/wren-dev/demo-app';

/** Requests per second the sample's users send through the router. */
export const SAMPLE_USERS_RATE = 20;

const labels = { app: SAMPLE_APP, 'app.kubernetes.io/part-of': 'wren-sample' };

/** The demo app at a version, as the local runtime runs it: two pods, ready when /readyz says so, scraped by Prometheus. */
export function demoAppDeployment(
  namespace: string,
  version: string,
  labels: Record<string, string> = { app: SAMPLE_APP },
  faults: Record<string, string> = {},
): { spec: { template: object; [field: string]: unknown }; [field: string]: unknown } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: SAMPLE_APP, namespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: SAMPLE_APP } },
      template: {
        metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' } },
        spec: {
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: 'app',
              image: `${SAMPLE_IMAGE}:${version}`,
              ...(Object.keys(faults).length > 0 ? { env: Object.entries(faults).map(([name, value]) => ({ name, value })) } : {}),
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      },
    },
  };
}

export function sampleAppObjects(): object[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SAMPLE_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'wren-sample' } } },
    demoAppDeployment(SAMPLE_NAMESPACE, '1.0.0', labels),
    {
      apiVersion: 'wren.dev/v1alpha1',
      kind: 'Canary',
      metadata: { name: SAMPLE_APP, namespace: SAMPLE_NAMESPACE, labels },
      spec: {
        provider: 'traefik',
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: SAMPLE_APP },
        progressDeadlineSeconds: 120,
        service: { port: 80, targetPort: 'http' },
        analysis: {
          interval: '15s',
          threshold: 2,
          stepWeight: 20,
          maxWeight: 60,
          metrics: [
            { name: 'request-success-rate', interval: '20s', thresholdRange: { min: 99 } },
            { name: 'request-duration', interval: '20s', thresholdRange: { max: 500 } },
          ],
        },
      },
    },
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { name: SAMPLE_APP, namespace: SAMPLE_NAMESPACE, labels },
      spec: {
        entryPoints: ['web'],
        // The TraefikService Wren weights between the primary and the canary.
        routes: [{ match: `Host(\`${SAMPLE_HOST}\`)`, kind: 'Rule', services: [{ name: SAMPLE_APP, kind: 'TraefikService' }] }],
      },
    },
  ];
}

/** A strategic-merge patch of the sample Deployment: a new version, with the demo app's faults set. */
export function releasePatch(version: string, faults: Record<string, string> = {}): object {
  const env = ['DEMO_ERROR_RATE', 'DEMO_LATENCY_MS'].map((name) => ({ name, value: faults[name] ?? '0' }));
  return { spec: { template: { spec: { containers: [{ name: 'app', image: `${SAMPLE_IMAGE}:${version}`, env }] } } } };
}

/** The releases the next steps offer, by file name. */
export const SAMPLE_RELEASES: Record<string, object> = {
  'v2.yaml': releasePatch('2.0.0'),
  'v3-faulty.yaml': releasePatch('3.0.0', { DEMO_ERROR_RATE: '0.3' }),
  'v4-slow.yaml': releasePatch('4.0.0', { DEMO_LATENCY_MS: '800' }),
};
