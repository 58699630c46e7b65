// One entry point: is this Wren object valid, and if not, which fields must change?
import type { TSchema } from '@sinclair/typebox';
import type { AlertProvider } from '../alert-provider.ts';
import type { Canary } from '../canary.ts';
import type { GitSync } from '../git-sync.ts';
import type { ImagePolicy } from '../image-policy.ts';
import { ALERT_PROVIDER, CANARY, GIT_SYNC, IMAGE_POLICY, METRIC_TEMPLATE, type KindDefinition } from '../kinds.ts';
import type { MetricTemplate } from '../metric-template.ts';
import { alertProviderProblems } from './alert-provider-rules.ts';
import { canaryProblems, templateCredentialProblems } from './canary-rules.ts';
import type { FieldProblem } from './field-problem.ts';
import { gitSyncProblems } from './git-sync-rules.ts';
import { imagePolicyProblems } from './image-policy-rules.ts';
import { metricTemplateProblems } from './metric-template-rules.ts';
import { schemaProblems } from './schema-problems.ts';
import { durationProblems, type SchemaNode } from './duration-problems.ts';

export interface ValidationContext {
  /** The operator's --provider, used when a Canary names none. */
  defaultProvider: string;
  /** Looks up a MetricTemplate a Canary refers to (from the operator's cache), when one is at hand. */
  metricTemplate?: (namespace: string, name: string) => MetricTemplate | undefined;
}

type Rules = (object: never, context: ValidationContext) => FieldProblem[];

const RULES: Record<string, Rules> = {
  [CANARY.kind]: (canary: Canary, context) => [
    ...canaryProblems(canary.spec, context.defaultProvider),
    ...(context.metricTemplate ? templateCredentialProblems(canary, context.metricTemplate) : []),
  ],
  [METRIC_TEMPLATE.kind]: (template: MetricTemplate) => metricTemplateProblems(template.spec),
  [ALERT_PROVIDER.kind]: (provider: AlertProvider) => alertProviderProblems(provider.spec),
  [GIT_SYNC.kind]: (sync: GitSync) => gitSyncProblems(sync.spec),
  [IMAGE_POLICY.kind]: (policy: ImagePolicy) => imagePolicyProblems(policy.spec),
};

export function validateResource(definition: KindDefinition, object: unknown, context: ValidationContext): FieldProblem[] {
  // Only spec is the user's to fix; status and metadata are the API server's and Wren's.
  const spec = (object as { spec?: unknown } | undefined)?.spec;
  const structural = schemaProblems(definition.schema as TSchema, { spec });
  if (structural.length > 0) return structural;
  const rules = RULES[definition.kind];
  return [...durationProblems(definition.schema as SchemaNode, { spec }), ...(rules ? rules(object as never, context) : [])];
}
