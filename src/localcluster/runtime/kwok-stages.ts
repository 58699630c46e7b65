// KWOK fakes every pod's life (Ready at once, a made-up IP). Pods of an image the local runtime runs
// must be left to the runtime instead, so each of KWOK's pod stages in the cluster's configuration
// (kwokctl writes them out when it creates the cluster) gets one more selector requirement: no
// container of a known image. Nodes, and pods of every other image, keep KWOK's behaviour. Pure.
import { parseAllDocuments, stringify } from 'yaml';
import { KNOWN_REPOSITORIES } from './known-images.ts';

/** A literal for a jq regular expression inside a jq string (a backslash is written twice). */
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');

/** A jq expression (KWOK's selector keys) that is true for pods the local runtime runs. */
export const RUNS_LOCALLY_QUERY = `[.spec.containers[]?.image | test("^(docker\\\\.io/)?(${KNOWN_REPOSITORIES.map(escapeRegex).join('|')})(:|@|$)")] | any`;

export const RUNTIME_REQUIREMENT = { key: RUNS_LOCALLY_QUERY, operator: 'NotIn', values: ['true'] };

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

/** kwokctl writes requirements as { jq: {...} } in the configuration it generates; its own YAML files write them flat. */
type Expression = Requirement | { jq: Requirement };

const requirementOf = (expression: Expression): Requirement => ('jq' in expression ? expression.jq : expression);

interface StageDocument {
  kind?: string;
  spec?: { resourceRef?: { kind?: string }; selector?: { matchExpressions?: Expression[] } };
}

/** The configuration with the requirement added to every pod stage; unchanged when it is there already. */
export function leavePodsToRuntime(kwokConfiguration: string): { text: string; changed: boolean } {
  const documents = parseAllDocuments(kwokConfiguration);
  let changed = false;
  const out = documents.map((document) => {
    const value = document.toJSON() as StageDocument | null;
    if (value?.kind !== 'Stage' || value.spec?.resourceRef?.kind !== 'Pod') return document.toString();
    const expressions = value.spec.selector?.matchExpressions ?? [];
    const others = expressions.filter((expression) => requirementOf(expression).key !== RUNS_LOCALLY_QUERY);
    const added: Expression = others.some((expression) => 'jq' in expression) ? { jq: RUNTIME_REQUIREMENT } : RUNTIME_REQUIREMENT;
    const wanted = [...others, added];
    if (JSON.stringify(wanted) === JSON.stringify(expressions)) return document.toString();
    changed = true;
    value.spec.selector = { ...(value.spec.selector ?? {}), matchExpressions: wanted };
    return stringify(value, { lineWidth: 0 });
  });
  if (!changed) return { text: kwokConfiguration, changed };
  return { text: out.map((document) => (document.startsWith('---') ? document : `---\n${document}`)).join(''), changed };
}

/** Whether every pod stage of the configuration already leaves known-image pods to the runtime. */
export function podsLeftToRuntime(kwokConfiguration: string): boolean {
  const podStages = parseAllDocuments(kwokConfiguration)
    .map((document) => document.toJSON() as StageDocument | null)
    .filter((value) => value?.kind === 'Stage' && value.spec?.resourceRef?.kind === 'Pod');
  return (
    podStages.length > 0 &&
    podStages.every((stage) =>
      stage?.spec?.selector?.matchExpressions?.some((expression) => requirementOf(expression).key === RUNS_LOCALLY_QUERY),
    )
  );
}
