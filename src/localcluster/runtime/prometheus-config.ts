// Prometheus as in a cluster: pods are found through the API server (the data plane serves what
// kubernetes_sd_configs would, over http_sd_configs: see pod-discovery.ts) and scraped when they say
// so with the usual annotations (prometheus.io/scrape, /port, /path), with their namespace and pod
// as labels, as Flagger's and Wren's built-in queries expect. Only pods the local runtime runs have
// addresses that answer; KWOK's made-up ones are left out. The router is a process of the data plane,
// not a pod, and is scraped at its metrics address. Pure.
import { stringify } from 'yaml';
import { POD_SUBNET_PREFIX } from './pod-network-plan.ts';

export interface PrometheusSettings {
  scrapeIntervalSeconds: number;
  /** The data plane's pod discovery endpoint (http_sd_configs). */
  podDiscovery: string;
  routerMetrics: string;
}

export function prometheusConfig(settings: PrometheusSettings): string {
  const interval = `${settings.scrapeIntervalSeconds}s`;
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [
      { job_name: 'traefik', static_configs: [{ targets: [settings.routerMetrics] }] },
      {
        job_name: 'kubernetes-pods',
        http_sd_configs: [{ url: settings.podDiscovery, refresh_interval: `${settings.scrapeIntervalSeconds}s` }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
          { source_labels: ['__meta_kubernetes_pod_ip'], action: 'keep', regex: `${POD_SUBNET_PREFIX.replace('.', '\\.')}\\..+` },
          {
            source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'],
            action: 'replace',
            regex: '(.+)',
            target_label: '__metrics_path__',
          },
          {
            source_labels: ['__meta_kubernetes_pod_ip', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            action: 'replace',
            regex: '(.+);(\\d+)',
            replacement: '$1:$2',
            target_label: '__address__',
          },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
        ],
      },
    ],
  });
}
