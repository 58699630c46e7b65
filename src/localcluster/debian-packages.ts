// Real components from Debian's packages (Prometheus for the local data plane; git daemon, sshd,
// age, docker-registry and bubblewrap for the tests), installed on first use so that a fresh machine
// needs nothing but the project's own scripts.
import { existsSync } from 'node:fs';
import { runChecked } from './run-command.ts';

const installing = new Map<string, Promise<void>>();

export function ensureDebianPackage(binary: string, pkg: string): Promise<void> {
  if (existsSync(binary)) return Promise.resolve();
  let pending = installing.get(pkg);
  if (!pending) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    pending = (async () => {
      process.stderr.write(`# installing the Debian package ${pkg}\n`);
      await runChecked('apt-get', ['update', '-qq'], { env });
      await runChecked('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { env });
      if (!existsSync(binary)) throw new Error(`installed ${pkg} but ${binary} is still missing`);
    })();
    installing.set(pkg, pending);
  }
  return pending;
}

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
export const ensurePrometheus = () => ensureDebianPackage(PROMETHEUS_BINARY, 'prometheus');

/** InfluxDB 1.x (InfluxQL over /query), the real server of the influxdb metric provider's tests. */
export const INFLUXD_BINARY = '/usr/bin/influxd';
export const ensureInfluxdb = () => ensureDebianPackage(INFLUXD_BINARY, 'influxdb');

/** Graphite: carbon-cache takes the tests' points, graphite-web (Django) serves its render API. */
export const CARBON_CACHE_BINARY = '/usr/bin/carbon-cache';
export const GRAPHITE_WEB_SETTINGS = '/usr/lib/python3/dist-packages/graphite/settings.py';
export async function ensureGraphite(): Promise<void> {
  await ensureDebianPackage(CARBON_CACHE_BINARY, 'graphite-carbon');
  await ensureDebianPackage(GRAPHITE_WEB_SETTINGS, 'graphite-web');
}

/** age and age-keygen: the keys SOPS encrypts to in the decryption tests. */
export const ensureAge = () => ensureDebianPackage('/usr/bin/age', 'age');
export const ensureSshd = () => ensureDebianPackage('/usr/sbin/sshd', 'openssh-server');
/** The container registry (github.com/docker/distribution 2.8) that the image tests push to and read. */
export const ensureDockerRegistry = () => ensureDebianPackage('/usr/bin/docker-registry', 'docker-registry');

/** Network namespaces and the pods' bridge (the local data plane) need iproute2. */
export const ensureIproute2 = () => ensureDebianPackage('/usr/sbin/ip', 'iproute2');

/** bubblewrap, for the test that runs the operator as its manifest says. */
export const ensureBubblewrap = () => ensureDebianPackage('/usr/bin/bwrap', 'bubblewrap');

/** Chromium, the real browser the dashboard test drives with playwright-core (no browser download). */
export const CHROMIUM_BINARY = '/usr/bin/chromium';
export const ensureChromium = () => ensureDebianPackage(CHROMIUM_BINARY, 'chromium');
