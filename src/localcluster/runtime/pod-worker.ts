// The kubelet's job for one pod: a network namespace with the pod's address, one process per
// container, readiness probes, restarts with backoff, and the pod's status written back whenever
// what a kubelet would report changes. A pod whose container cannot run says why in its status and
// an Event (CreateContainerConfigError, CrashLoopBackOff, ...); nothing here throws to its caller.
import { join } from 'node:path';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { isConflict, isNotFound } from '../../kube/api-error.ts';
import { CONFIG_MAPS, PODS, SECRETS } from '../../kube/resource-types.ts';
import { errorMessage } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Container } from '../../workload/workload-types.ts';
import { ContainerConfigError, containerEnv, envSources, type ConfigSources, type PodFacts } from './container-env.ts';
import { ContainerProcess } from './container-process.ts';
import { processPlan, type Executables } from './known-images.ts';
import { BRIDGE_ADDRESS } from './pod-network-plan.ts';
import { podStatus, type ContainerState, type ContainerView } from './pod-status.ts';
import { nextReadiness, probeOnce, readinessProbe, type ProbeSpec } from './probes.ts';
import { restartDelay, restartsAfterRun } from './restart-backoff.ts';
import type { LocalPod } from './local-pod.ts';

/** How often a container that could not be created is tried again, as a kubelet's pod sync does. */
const CONFIG_RETRY_MS = 10_000;
const MAX_GRACE_MS = 30_000;

export interface PodWorkerDeps {
  client: KubeClient;
  events: EventRecorder;
  log: Logger;
  executables: Executables;
  logDir: string;
  attach(uid: string, podIP: string): Promise<string>;
  detach(uid: string): Promise<void>;
}

interface ContainerRun {
  spec: Container;
  process?: ContainerProcess;
  restarts: number;
  current: ContainerState;
  last?: Extract<ContainerState, { state: 'terminated' }>;
  ready: boolean;
  streak: { successes: number; failures: number };
  startedAtMs?: number;
  timer?: NodeJS.Timeout;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class PodWorker {
  private pod: LocalPod;
  private readonly deps: PodWorkerDeps;
  readonly podIP: string;
  private netns = '';
  private readonly runs = new Map<string, ContainerRun>();
  private readonly startTime = now();
  private stopping = false;
  private lastWritten = '';
  private writing: Promise<void> = Promise.resolve();

  constructor(pod: LocalPod, podIP: string, deps: PodWorkerDeps) {
    this.pod = pod;
    this.podIP = podIP;
    this.deps = deps;
    for (const spec of pod.spec?.containers ?? []) {
      this.runs.set(spec.name, {
        spec,
        restarts: 0,
        current: { state: 'waiting', reason: 'ContainerCreating' },
        ready: false,
        streak: { successes: 0, failures: 0 },
      });
    }
  }

  get nodeName(): string | undefined {
    return this.pod.spec?.nodeName;
  }

  /** Newer copies of the pod (labels, annotations) for the downward API. */
  observe(pod: LocalPod): void {
    this.pod = pod;
  }

  async start(): Promise<void> {
    try {
      this.netns = await this.deps.attach(this.pod.metadata?.uid ?? '', this.podIP);
    } catch (error) {
      for (const run of this.runs.values())
        run.current = { state: 'waiting', reason: 'CreateContainerError', message: `pod network: ${errorMessage(error)}` };
      this.writeStatus();
      return;
    }
    this.writeStatus();
    for (const run of this.runs.values()) void this.launch(run);
  }

  private facts(): PodFacts {
    const metadata = this.pod.metadata ?? {};
    return {
      name: metadata.name ?? '',
      namespace: metadata.namespace ?? '',
      uid: metadata.uid ?? '',
      labels: metadata.labels ?? {},
      annotations: metadata.annotations ?? {},
      nodeName: this.pod.spec?.nodeName ?? '',
      serviceAccountName: this.pod.spec?.serviceAccountName ?? 'default',
      podIP: this.podIP,
      hostIP: BRIDGE_ADDRESS,
    };
  }

  /** The ConfigMaps and Secrets the container's environment reads, read now (Secret values decoded). */
  private async sources(spec: Container): Promise<ConfigSources> {
    const namespace = this.pod.metadata?.namespace;
    const wanted = envSources(spec);
    const read = async (kind: 'configmap' | 'secret', name: string): Promise<[string, Record<string, string> | undefined]> => {
      try {
        const object = await this.deps.client.get<{ data?: Record<string, string> } & object>(
          kind === 'configmap' ? CONFIG_MAPS : SECRETS,
          namespace,
          name,
        );
        const data = (object as { data?: Record<string, string> }).data ?? {};
        if (kind === 'configmap') return [name, data];
        return [name, Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]))];
      } catch (error) {
        if (isNotFound(error)) return [name, undefined];
        throw error;
      }
    };
    return {
      configMaps: new Map(await Promise.all(wanted.configMaps.map((name) => read('configmap', name)))),
      secrets: new Map(await Promise.all(wanted.secrets.map((name) => read('secret', name)))),
    };
  }

  private async launch(run: ContainerRun): Promise<void> {
    if (this.stopping) return;
    const plan = processPlan(run.spec, this.deps.executables);
    let env: Record<string, string>;
    try {
      if ('error' in plan) throw new CreateError('CreateContainerError', plan.error);
      env = containerEnv(run.spec, this.facts(), await this.sources(run.spec), plan.imageEnv);
      const probe = readinessProbe(run.spec);
      if (probe && 'error' in probe) throw new CreateError('CreateContainerConfigError', probe.error);
    } catch (error) {
      const reason =
        error instanceof CreateError
          ? error.reason
          : error instanceof ContainerConfigError
            ? 'CreateContainerConfigError'
            : 'CreateContainerError';
      const message = errorMessage(error);
      this.setState(run, { state: 'waiting', reason, message }, false);
      void this.deps.events.record(this.pod, 'Warning', 'Failed', `Error: ${message}`);
      run.timer = setTimeout(() => void this.launch(run), CONFIG_RETRY_MS);
      return;
    }
    if (this.stopping || 'error' in plan) return;
    const logFile = join(this.deps.logDir, `${run.spec.name}.log`);
    const process = new ContainerProcess(
      this.netns,
      this.pod.metadata?.name ?? '',
      plan,
      env,
      logFile,
      `start ${run.spec.name} (restart ${run.restarts})`,
    );
    run.process = process;
    run.startedAtMs = Date.now();
    const probe = readinessProbe(run.spec) as ProbeSpec | undefined;
    run.streak = { successes: 0, failures: 0 };
    this.setState(run, { state: 'running', startedAt: now() }, probe === undefined);
    void this.deps.events.record(this.pod, 'Normal', 'Started', `Started container ${run.spec.name}`);
    if (probe) run.timer = setTimeout(() => void this.probe(run, process, probe), probe.initialDelayMs);
    void process.exited.then((exit) => this.exited(run, process, exit.code, exit.signal));
  }

  private async probe(run: ContainerRun, process: ContainerProcess, spec: ProbeSpec): Promise<void> {
    if (this.stopping || run.process !== process || !process.running) return;
    const succeeded = await probeOnce(spec, this.podIP);
    if (this.stopping || run.process !== process || !process.running) return;
    const next = nextReadiness(run.ready, run.streak, succeeded, spec);
    run.streak = next.streak;
    if (!succeeded && next.streak.failures === spec.failureThreshold) {
      const target = spec.kind === 'http' ? `http://${this.podIP}:${spec.port}${spec.path}` : `${this.podIP}:${spec.port}`;
      void this.deps.events.record(this.pod, 'Warning', 'Unhealthy', `Readiness probe failed: ${target}`);
    }
    if (next.ready !== run.ready) this.setState(run, run.current, next.ready);
    run.timer = setTimeout(() => void this.probe(run, process, spec), spec.periodMs);
  }

  private exited(run: ContainerRun, process: ContainerProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || run.process !== process) return;
    clearTimeout(run.timer);
    const exitCode = code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : 15) : 1);
    run.last = {
      state: 'terminated',
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt: new Date(run.startedAtMs ?? Date.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      finishedAt: now(),
    };
    run.restarts = restartsAfterRun(run.restarts, Date.now() - (run.startedAtMs ?? Date.now()));
    const delay = restartDelay(run.restarts);
    const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${run.spec.name} pod=${this.pod.metadata?.name}`;
    this.setState(run, { state: 'waiting', reason: 'CrashLoopBackOff', message }, false);
    void this.deps.events.record(this.pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    this.deps.log.info(
      { pod: `${this.pod.metadata?.namespace}/${this.pod.metadata?.name}`, container: run.spec.name, exitCode, retryInMs: delay },
      'container exited',
    );
    run.timer = setTimeout(() => {
      run.restarts += 1;
      void this.launch(run);
    }, delay);
  }

  private setState(run: ContainerRun, current: ContainerState, ready: boolean): void {
    run.current = current;
    run.ready = ready;
    this.writeStatus();
  }

  /** Writes pods/status when what it says changed; writes are serialised so the last one wins. */
  private writeStatus(): void {
    if (this.stopping) return;
    const containers: ContainerView[] = [...this.runs.values()].map((run) => ({
      name: run.spec.name,
      image: String(run.spec.image ?? ''),
      ready: run.ready,
      restartCount: run.restarts,
      current: run.current,
      ...(run.last ? { last: run.last } : {}),
    }));
    const running = containers.some((container) => container.current.state === 'running');
    const status = podStatus(
      { phase: running ? 'Running' : 'Pending', podIP: this.podIP, hostIP: BRIDGE_ADDRESS, startTime: this.startTime, containers },
      this.pod.status,
      now(),
    );
    const text = JSON.stringify(status);
    if (text === this.lastWritten) return;
    this.lastWritten = text;
    this.writing = this.writing.then(async () => {
      if (this.stopping || this.lastWritten !== text) return;
      try {
        await this.deps.client.applyStatus(
          PODS,
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: this.pod.metadata?.name, namespace: this.pod.metadata?.namespace }, status },
          { fieldManager: 'wren-local-kubelet' },
        );
      } catch (error) {
        if (!isNotFound(error))
          this.deps.log.warn({ pod: this.pod.metadata?.name, err: errorMessage(error) }, 'could not write pod status');
        this.lastWritten = '';
      }
    });
  }

  /** Stops every process (SIGTERM, then SIGKILL after the grace period) and removes the pod's network. */
  async stop(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.writing;
    await Promise.all(
      [...this.runs.values()].map(async (run) => {
        clearTimeout(run.timer);
        await run.process?.stop(graceMs);
      }),
    );
    await this.deps
      .detach(this.pod.metadata?.uid ?? '')
      .catch((error) => this.deps.log.warn({ err: errorMessage(error) }, 'could not remove a pod network'));
  }

  /** The pod is being deleted: stop it within its grace period, then let the API server remove it. */
  async terminate(): Promise<void> {
    void this.deps.events.record(
      this.pod,
      'Normal',
      'Killing',
      `Stopping container${this.runs.size > 1 ? 's' : ''} ${[...this.runs.keys()].join(', ')}`,
    );
    const grace = (this.pod.metadata?.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    await this.stop(Math.min(grace, MAX_GRACE_MS));
    await this.deps.client
      .request({
        method: 'DELETE',
        path: `/api/v1/namespaces/${this.pod.metadata?.namespace}/pods/${this.pod.metadata?.name}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ gracePeriodSeconds: 0, preconditions: { uid: this.pod.metadata?.uid } }),
        resource: 'pods',
      })
      .catch((error) => {
        if (!isNotFound(error) && !isConflict(error))
          this.deps.log.warn({ pod: this.pod.metadata?.name, err: errorMessage(error) }, 'could not remove a stopped pod');
      });
  }
}

class CreateError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}
