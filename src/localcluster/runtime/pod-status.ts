// A pod's status as a kubelet reports it, from what the runtime knows of its containers. Pure: the
// runtime writes the result (server-side apply of pods/status) only when it differs from what the
// pod shows, and keeps each condition's transition time while its status holds.

export type ContainerState =
  | { state: 'waiting'; reason: string; message?: string }
  | { state: 'running'; startedAt: string }
  | { state: 'terminated'; exitCode: number; reason: string; startedAt?: string; finishedAt: string };

export interface ContainerView {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  current: ContainerState;
  /** How the previous run ended, once it has restarted. */
  last?: Extract<ContainerState, { state: 'terminated' }>;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export interface PodStatusView {
  phase: 'Pending' | 'Running';
  podIP: string;
  hostIP: string;
  startTime: string;
  containers: ContainerView[];
}

interface ExistingStatus {
  conditions?: { type: string; status: string; lastTransitionTime?: string }[];
}

function stateOf(view: ContainerState): Record<string, unknown> {
  switch (view.state) {
    case 'waiting':
      return { waiting: { reason: view.reason, ...(view.message ? { message: view.message } : {}) } };
    case 'running':
      return { running: { startedAt: view.startedAt } };
    case 'terminated':
      return {
        terminated: {
          exitCode: view.exitCode,
          reason: view.reason,
          ...(view.startedAt ? { startedAt: view.startedAt } : {}),
          finishedAt: view.finishedAt,
        },
      };
  }
}

function notReadyMessage(containers: ContainerView[]): string | undefined {
  const waiting = containers.filter((container) => !container.ready).map((container) => container.name);
  return waiting.length > 0 ? `containers with unready status: [${waiting.join(' ')}]` : undefined;
}

/** pods/status as a kubelet would set it now. */
export function podStatus(view: PodStatusView, existing: ExistingStatus | undefined, now: string): Record<string, unknown> {
  const since = (type: string, status: 'True' | 'False') => {
    const before = existing?.conditions?.find((condition) => condition.type === type);
    return before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : now;
  };
  const condition = (type: string, ok: boolean, reason?: string, message?: string): Condition => ({
    type,
    status: ok ? 'True' : 'False',
    lastTransitionTime: since(type, ok ? 'True' : 'False'),
    ...(ok || !reason ? {} : { reason }),
    ...(ok || !message ? {} : { message }),
  });
  const allReady = view.containers.length > 0 && view.containers.every((container) => container.ready);
  const message = notReadyMessage(view.containers);
  return {
    phase: view.phase,
    hostIP: view.hostIP,
    hostIPs: [{ ip: view.hostIP }],
    podIP: view.podIP,
    podIPs: [{ ip: view.podIP }],
    startTime: view.startTime,
    conditions: [
      condition('PodReadyToStartContainers', true),
      condition('Initialized', true),
      condition('ContainersReady', allReady, 'ContainersNotReady', message),
      condition('Ready', allReady, 'ContainersNotReady', message),
    ],
    containerStatuses: view.containers.map((container) => ({
      name: container.name,
      image: container.image,
      imageID: `wren-local://${container.image}`,
      containerID: `wren-local://${container.name}`,
      ready: container.ready,
      started: container.current.state === 'running',
      restartCount: container.restartCount,
      state: stateOf(container.current),
      ...(container.last ? { lastState: stateOf(container.last) } : {}),
    })),
  };
}
