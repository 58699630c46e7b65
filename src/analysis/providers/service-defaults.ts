// What the metric providers of hosted services need besides a query: the address of the service
// when a template names none, and the keys they read from spec.provider.secretRef. Data only, so
// template validation and the credential scope can use it without importing the providers.
const DEFAULT_ADDRESSES: Readonly<Record<string, string>> = {
  datadog: 'https://api.datadoghq.com',
  newrelic: 'https://insights-api.newrelic.com',
  stackdriver: 'https://monitoring.googleapis.com',
};

/** The keys of spec.provider.secretRef each hosted provider cannot work without. */
export const REQUIRED_SECRET_KEYS: Readonly<Record<string, readonly string[]>> = {
  datadog: ['datadog_api_key', 'datadog_application_key'],
  newrelic: ['newrelic_account_id', 'newrelic_query_key'],
  dynatrace: ['dynatrace_token'],
  cloudwatch: ['aws_access_key_id', 'aws_secret_access_key'],
  stackdriver: ['serviceAccountKey'],
};

/** The service a provider type calls when spec.provider.address is absent, if it has one. */
export function defaultAddressOf(type: string): string | undefined {
  return Object.hasOwn(DEFAULT_ADDRESSES, type) ? DEFAULT_ADDRESSES[type] : undefined;
}

/** The secret keys a provider type requires (none for prometheus and web, whose credentials are optional). */
export function requiredSecretKeys(type: string): readonly string[] {
  return Object.hasOwn(REQUIRED_SECRET_KEYS, type) ? (REQUIRED_SECRET_KEYS[type] ?? []) : [];
}
