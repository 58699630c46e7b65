// Readiness probes as a kubelet runs them: httpGet (2xx and 3xx succeed) and tcpSocket, against the
// pod's address; a named port is looked up in the container's ports. The thresholds and periods are
// the pod spec's, with Kubernetes' defaults.
import { connect } from 'node:net';
import type { Container } from '../../workload/workload-types.ts';

export interface ProbeSpec {
  kind: 'http' | 'tcp';
  port: number;
  path: string;
  periodMs: number;
  initialDelayMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

interface RawProbe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/** The container's readiness probe, undefined when it has none (then running means ready), or why it cannot be run. */
export function readinessProbe(container: Container): ProbeSpec | undefined | { error: string } {
  const raw = container.readinessProbe as RawProbe | undefined;
  if (!raw) return undefined;
  const target = raw.httpGet ?? raw.tcpSocket;
  if (!target) return { error: 'readinessProbe: only httpGet and tcpSocket probes are supported by the local runtime' };
  if (raw.httpGet?.scheme && raw.httpGet.scheme.toUpperCase() !== 'HTTP') return { error: 'readinessProbe.httpGet.scheme: only HTTP' };
  const port =
    typeof target.port === 'number' ? target.port : container.ports?.find((candidate) => candidate.name === target.port)?.containerPort;
  if (port === undefined) return { error: `readinessProbe: no container port named ${JSON.stringify(target.port)}` };
  return {
    kind: raw.httpGet ? 'http' : 'tcp',
    port,
    path: raw.httpGet?.path ?? '/',
    periodMs: (raw.periodSeconds ?? 10) * 1000,
    initialDelayMs: (raw.initialDelaySeconds ?? 0) * 1000,
    timeoutMs: (raw.timeoutSeconds ?? 1) * 1000,
    successThreshold: raw.successThreshold ?? 1,
    failureThreshold: raw.failureThreshold ?? 3,
  };
}

/** One probe attempt against the pod's address: true when it succeeded. */
export async function probeOnce(spec: ProbeSpec, podIP: string): Promise<boolean> {
  if (spec.kind === 'http') {
    try {
      const response = await fetch(`http://${podIP}:${spec.port}${spec.path}`, {
        signal: AbortSignal.timeout(spec.timeoutMs),
        redirect: 'manual',
      });
      await response.arrayBuffer();
      return response.status >= 200 && response.status < 400;
    } catch {
      return false;
    }
  }
  return new Promise((resolve) => {
    const socket = connect({ host: podIP, port: spec.port, timeout: spec.timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Readiness after one more result, given the consecutive successes or failures so far. */
export function nextReadiness(
  ready: boolean,
  streak: { successes: number; failures: number },
  succeeded: boolean,
  spec: ProbeSpec,
): { ready: boolean; streak: { successes: number; failures: number } } {
  const next = succeeded ? { successes: streak.successes + 1, failures: 0 } : { successes: 0, failures: streak.failures + 1 };
  if (!ready && next.successes >= spec.successThreshold) return { ready: true, streak: next };
  if (ready && next.failures >= spec.failureThreshold) return { ready: false, streak: next };
  return { ready, streak: next };
}
