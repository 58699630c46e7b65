// Prometheus for the local data plane: Debian's package, scraping the router and the pods it finds
// through the API server (see runtime/prometheus-config.ts), with its data in the cluster's state
// directory, on a loopback port.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log.ts';
import { PROMETHEUS_BINARY } from '../debian-packages.ts';
import { prometheusConfig, type PrometheusSettings } from '../runtime/prometheus-config.ts';
import { SupervisedProcess } from './supervised-process.ts';

export const SCRAPE_INTERVAL_SECONDS = 2;

export function startPrometheus(
  dir: string,
  port: number,
  settings: Omit<PrometheusSettings, 'scrapeIntervalSeconds'>,
  log: Logger,
): SupervisedProcess {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig({ ...settings, scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS }));
  const prometheus = new SupervisedProcess(
    'prometheus',
    PROMETHEUS_BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
    ],
    join(dir, 'prometheus.log'),
    log,
  );
  prometheus.start();
  return prometheus;
}
