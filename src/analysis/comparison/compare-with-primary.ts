// Runs one comparison with the primary: asks the provider for both sides over the same window and
// judges them (judge-error-rates.ts, judge-latency.ts). Failures to ask are thrown to the caller,
// which turns them into failed or held checks as for any metric.
import type { Canary } from '../../api/canary.ts';
import type { MetricTemplate } from '../../api/metric-template.ts';
import type { CheckResult } from '../../canary/analysis-seam.ts';
import type { MetricProvider } from '../providers/metric-provider.ts';
import type { ProviderEndpoint } from '../providers/provider-request.ts';
import type { TemplateVariables } from '../query-template.ts';
import type { Proportion } from '../statistics/two-proportions.ts';
import { bucketsFromSeries } from './buckets-from-series.ts';
import { comparisonQueries, type SideQueries } from './comparison-queries.ts';
import { judgeErrorRates } from './judge-error-rates.ts';
import { judgeLatency } from './judge-latency.ts';
import { comparisonRule } from './settings.ts';

type Metric = NonNullable<Canary['spec']['analysis']['metrics']>[number];

export interface ComparisonRequest {
  metric: Metric;
  /** A template whose spec.comparison passed comparisonProblem. */
  template: MetricTemplate;
  provider: MetricProvider;
  endpoint: ProviderEndpoint;
  /** The canary side's variables, {{ interval }} set to the comparison window. */
  variables: TemplateVariables;
  /** Sends one question to the server (through the operator's per-server backoff). */
  ask: <T>(question: () => Promise<T>) => Promise<T>;
}

/** A count from a query: extrapolated counters are rounded; nothing, NaN or less than 0 is none. */
const wholeCount = (value: number | undefined) => (value !== undefined && Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0);

/** Requests and errors of one side; no series means none (a counter of errors appears with the first error). */
async function proportionOf(request: ComparisonRequest, queries: Extract<SideQueries, { kind: 'error-rates' }>): Promise<Proportion> {
  const value = (query: string) =>
    request.ask(() => request.provider.query(request.endpoint, { query, spec: request.template.spec, variables: request.variables }));
  const [requests, errors] = await Promise.all([value(queries.requests), value(queries.errors)]);
  const trials = wholeCount(requests);
  // increase() extrapolates each counter on its own, so errors can come out a little above requests.
  return { trials, failures: Math.min(trials, wholeCount(errors)) };
}

export async function compareWithPrimary(request: ComparisonRequest): Promise<CheckResult> {
  const comparison = request.template.spec.comparison ?? {};
  const queries = comparisonQueries(comparison, request.variables);
  const { metric } = request;
  const shown = (side: SideQueries) => (side.kind === 'latency' ? side.buckets : `${side.errors} / ${side.requests}`);
  const query = `canary: ${shown(queries.canary)}; primary: ${shown(queries.primary)}`;
  if (queries.canary.kind === 'error-rates' && queries.primary.kind === 'error-rates') {
    const [canary, primary] = await Promise.all([proportionOf(request, queries.canary), proportionOf(request, queries.primary)]);
    return { ...judgeErrorRates(metric.name, comparisonRule(metric, 'error-rates'), canary, primary), query };
  }
  const seriesOf = request.provider.querySeries?.bind(request.provider);
  if (!seriesOf) throw new Error(`the ${request.provider.type} provider cannot return histogram buckets; compare requests and errors`);
  const buckets = async (side: SideQueries) =>
    bucketsFromSeries(await request.ask(() => seriesOf(request.endpoint, side.kind === 'latency' ? side.buckets : '')));
  const [canary, primary] = await Promise.all([buckets(queries.canary), buckets(queries.primary)]);
  const display = { quantile: comparison.quantile ?? 0.99, scale: comparison.scale ?? 1, unit: comparison.unit ?? '' };
  return { ...judgeLatency(metric.name, comparisonRule(metric, 'latency'), canary, primary, display), query };
}
