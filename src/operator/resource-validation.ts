// Reports on each Wren object whether its spec is valid: a Ready condition (InvalidSpec and a message
// naming the fields when it is not) and an Event when that verdict changes. A bad object never
// stops the operator: it is reported and left alone until the user edits it.
import { findCondition, setCondition, type Condition } from '../api/conditions.ts';
import type { KindDefinition } from '../api/kinds.ts';
import { describeProblems } from '../api/validation/field-problem.ts';
import { validateResource, type ValidationContext } from '../api/validation/validate-resource.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Reconciler } from '../kube/controller.ts';
import type { EventRecorder } from '../kube/events.ts';
import type { Informer } from '../kube/informer.ts';
import type { KubeObject } from '../kube/objects.ts';
import type { ResourceType } from '../kube/resource-types.ts';
import { writeStatusIfChanged } from '../kube/status-writer.ts';

export const READY = 'Ready';
export const INVALID_SPEC = 'InvalidSpec';

interface StatusWithConditions {
  conditions?: Condition[];
  observedGeneration?: number;
  [field: string]: unknown;
}

type WrenObject = KubeObject & { status?: StatusWithConditions };

export function readyConditionFor(problems: ReturnType<typeof validateResource>, generation: number | undefined) {
  return problems.length > 0
    ? { type: READY, status: 'False' as const, reason: INVALID_SPEC, message: describeProblems(problems), observedGeneration: generation }
    : { type: READY, status: 'True' as const, reason: 'Accepted', message: 'spec is valid', observedGeneration: generation };
}

export class ResourceValidationReconciler implements Reconciler {
  readonly kind: string;
  private readonly definition: KindDefinition;
  private readonly type: ResourceType;
  private readonly informer: Informer<WrenObject>;
  private readonly client: KubeClient;
  private readonly events: EventRecorder;
  private readonly context: ValidationContext;

  constructor(
    definition: KindDefinition,
    type: ResourceType,
    informer: Informer<WrenObject>,
    client: KubeClient,
    events: EventRecorder,
    context: ValidationContext,
  ) {
    this.kind = definition.kind;
    this.definition = definition;
    this.type = type;
    this.informer = informer;
    this.client = client;
    this.events = events;
    this.context = context;
  }

  async reconcile(key: string): Promise<void> {
    const object = this.informer.get(key);
    if (!object || object.metadata?.deletionTimestamp) return;
    const generation = object.metadata?.generation;
    const problems = validateResource(this.definition, object, this.context);
    const ready = readyConditionFor(problems, generation);
    const previous = findCondition(object.status?.conditions, READY);
    const status: StatusWithConditions = {
      ...(object.status ?? {}),
      observedGeneration: generation,
      conditions: setCondition(object.status?.conditions, ready, new Date()),
    };
    if (!(await writeStatusIfChanged(this.client, this.type, object, status))) return;
    const verdictChanged = previous?.reason !== ready.reason || previous?.message !== ready.message;
    if (verdictChanged && ready.reason === INVALID_SPEC) {
      await this.events.record(object, 'Warning', INVALID_SPEC, ready.message);
    } else if (verdictChanged && previous?.reason === INVALID_SPEC) {
      await this.events.record(object, 'Normal', 'SpecValid', 'spec is valid again');
    }
  }
}
