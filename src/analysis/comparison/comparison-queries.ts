// The queries of a comparison with the primary, rendered for each side: {{ target }} names the canary
// workload on one side and its primary on the other; {{ interval }} is the comparison window.
import type { MetricTemplate } from '../../api/metric-template.ts';
import { renderTemplate, type TemplateVariables } from '../query-template.ts';

type TemplateComparison = NonNullable<MetricTemplate['spec']['comparison']>;

export type SideQueries = { kind: 'error-rates'; requests: string; errors: string } | { kind: 'latency'; buckets: string };

export interface ComparisonQueries {
  canary: SideQueries;
  primary: SideQueries;
}

export const primaryOf = (target: string) => `${target}-primary`;

/** What a template's spec.comparison lacks to be compared with the primary, or undefined when complete. */
export function comparisonProblem(comparison: TemplateComparison | undefined): string | undefined {
  if (!comparison) return 'spec.comparison is missing, so it cannot be compared with the primary';
  const counts = comparison.requests !== undefined || comparison.errors !== undefined;
  if (counts && comparison.buckets !== undefined) return 'spec.comparison takes requests and errors, or buckets, not both';
  if (counts && (comparison.requests === undefined || comparison.errors === undefined))
    return 'spec.comparison needs both requests and errors';
  if (!counts && comparison.buckets === undefined) return 'spec.comparison needs requests and errors, or buckets';
  for (const query of [comparison.requests, comparison.errors, comparison.buckets]) {
    if (query !== undefined && !/\{\{\s*target\s*\}\}/.test(query))
      return 'every spec.comparison query must select the workload with {{ target }}';
  }
  return undefined;
}

function renderSide(comparison: TemplateComparison, variables: TemplateVariables): SideQueries {
  if (comparison.buckets !== undefined) return { kind: 'latency', buckets: renderTemplate(comparison.buckets, variables) };
  return {
    kind: 'error-rates',
    requests: renderTemplate(comparison.requests ?? '', variables),
    errors: renderTemplate(comparison.errors ?? '', variables),
  };
}

/** Both sides' queries; throws a TemplateError naming an unset variable. Call comparisonProblem first. */
export function comparisonQueries(comparison: TemplateComparison, canary: TemplateVariables): ComparisonQueries {
  return {
    canary: renderSide(comparison, canary),
    primary: renderSide(comparison, { ...canary, target: primaryOf(canary.target) }),
  };
}
