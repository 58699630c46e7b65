// The local pod runtime: the kubelet of the embedded cluster for pods of the images it knows. It
// watches pods; a bound pod of a known image gets a worker (network namespace, processes, probes,
// status), a pod being deleted is stopped and then removed, and a pod whose node goes away is
// stopped. KWOK leaves these pods alone (see kwok-stages.ts) and keeps faking every other pod.
import { join } from 'node:path';
import type { KubeClient } from '../../kube/client.ts';
import type { EventRecorder } from '../../kube/events.ts';
import { Informer } from '../../kube/informer.ts';
import { keyOf, type KubeObject } from '../../kube/objects.ts';
import { NODES, PODS } from '../../kube/resource-types.ts';
import type { Logger } from '../../log.ts';
import { runsLocally, type Executables } from './known-images.ts';
import type { LocalPod } from './local-pod.ts';
import { attachPod, detachPod, ensureBridge } from './pod-network.ts';
import { allocatePodIp, inPodSubnet } from './pod-network-plan.ts';
import { PodWorker } from './pod-worker.ts';

const SHUTDOWN_GRACE_MS = 5_000;

export interface PodRuntimeOptions {
  client: KubeClient;
  events: EventRecorder;
  log: Logger;
  executables: Executables;
  /** Per pod, a directory of container logs: <podLogDir>/<namespace>_<name>/<container>.log. */
  podLogDir: string;
}

export class PodRuntime {
  private readonly options: PodRuntimeOptions;
  private readonly pods: Informer<LocalPod>;
  private readonly nodes: Informer<KubeObject>;
  private readonly workers = new Map<string, PodWorker>();
  private readonly terminating = new Set<string>();

  constructor(options: PodRuntimeOptions) {
    this.options = options;
    this.pods = new Informer<LocalPod>(options.client, PODS, options.log);
    this.nodes = new Informer<KubeObject>(options.client, NODES, options.log);
  }

  async start(): Promise<void> {
    await ensureBridge();
    this.pods.on((event) => (event.type === 'deleted' ? void this.forget(event.object) : this.handle(event.object)));
    this.nodes.on((event) => {
      if (event.type !== 'deleted') return;
      const node = event.object.metadata?.name;
      for (const [key, worker] of this.workers) if (worker.nodeName === node) void this.stopWorker(key);
    });
    this.nodes.start();
    this.pods.start();
    await Promise.all([this.pods.waitForSync(), this.nodes.waitForSync()]);
  }

  /** Every pod of the cluster, as the runtime's watch sees it (for Prometheus' pod discovery). */
  allPods(): LocalPod[] {
    return this.pods.list();
  }

  private handle(pod: LocalPod): void {
    const key = keyOf(pod);
    const worker = this.workers.get(key);
    if (!runsLocally(pod.spec?.containers) || !pod.spec?.nodeName) return;
    if (pod.metadata?.deletionTimestamp) {
      if (worker && !this.terminating.has(key)) {
        this.terminating.add(key);
        void worker.terminate().finally(() => {
          this.workers.delete(key);
          this.terminating.delete(key);
        });
      } else if (!worker && !this.terminating.has(key)) {
        // Never started here (or the runtime restarted): nothing runs, let it go at once.
        this.terminating.add(key);
        void new PodWorker(pod, pod.status?.podIP ?? '', this.deps(pod)).terminate().finally(() => this.terminating.delete(key));
      }
      return;
    }
    if (worker) {
      worker.observe(pod);
      return;
    }
    const started = new PodWorker(pod, this.addressFor(pod), this.deps(pod));
    this.workers.set(key, started);
    void started.start();
  }

  /** The address in the pod's status when a previous run gave it one, else a free one. */
  private addressFor(pod: LocalPod): string {
    const used = new Set([...this.workers.values()].map((worker) => worker.podIP));
    const recorded = pod.status?.podIP;
    if (inPodSubnet(recorded) && !used.has(recorded as string)) return recorded as string;
    return allocatePodIp(pod.metadata?.uid ?? keyOf(pod), used);
  }

  private deps(pod: LocalPod) {
    return {
      client: this.options.client,
      events: this.options.events,
      log: this.options.log,
      executables: this.options.executables,
      logDir: join(this.options.podLogDir, `${pod.metadata?.namespace}_${pod.metadata?.name}`),
      attach: attachPod,
      detach: detachPod,
    };
  }

  private async forget(pod: LocalPod): Promise<void> {
    await this.stopWorker(keyOf(pod));
  }

  private async stopWorker(key: string): Promise<void> {
    const worker = this.workers.get(key);
    if (!worker) return;
    this.workers.delete(key);
    await worker.stop(SHUTDOWN_GRACE_MS);
  }

  /** Stops every pod's processes and removes their networks (the pods stay in the API). */
  async stop(): Promise<void> {
    await Promise.all([this.pods.stop(), this.nodes.stop()]);
    await Promise.all([...this.workers.keys()].map((key) => this.stopWorker(key)));
  }
}
