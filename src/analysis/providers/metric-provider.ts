// The one interface every metric provider implements. Adding a provider is one file that implements
// it and one line in registry.ts.
import type { MetricTemplate } from '../../api/metric-template.ts';
import type { TemplateVariables } from '../query-template.ts';
import type { ProviderEndpoint } from './provider-request.ts';

/** What one check asks of a provider: the rendered query and the template it came from. */
export interface MetricRequest {
  /** spec.query with its placeholders filled in ('' when the template has none). */
  query: string;
  spec: MetricTemplate['spec'];
  variables: TemplateVariables;
}

/** One series of an instant vector: its labels and value. */
export interface Series {
  labels: Record<string, string>;
  value: number;
}

export interface MetricProvider {
  /** The spec.provider.type that selects it. */
  readonly type: string;
  /** Whether spec.provider.address is templated like the query (it is the URL called). */
  readonly templatedAddress: boolean;
  /**
   * The number the request comes down to, or undefined for no data. Throws ProviderUnreachableError
   * when the server gives no usable answer, any other error when it refuses the request.
   */
  query(endpoint: ProviderEndpoint, request: MetricRequest): Promise<number | undefined>;
  /**
   * Throws ProviderUnreachableError unless the server answers as this provider should (the probe
   * before a Canary is initialized). Absent when the provider has no such probe.
   */
  isOnline?(endpoint: ProviderEndpoint): Promise<void>;
  /**
   * Every series a query returns, with its labels (histogram buckets by le for a comparison with the
   * primary). Absent when the provider has no labelled vectors. Throws as query does.
   */
  querySeries?(endpoint: ProviderEndpoint, query: string): Promise<Series[]>;
}
