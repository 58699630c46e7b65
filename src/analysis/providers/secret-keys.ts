// Keys of a template's Secret (spec.provider.secretRef) that a hosted provider reads. A missing key
// is named with its Secret; its value never appears in a message.
import type { ProviderEndpoint } from './provider-request.ts';

export function secretKey(endpoint: ProviderEndpoint, key: string, providerType: string): string {
  const value = optionalSecretKey(endpoint, key, providerType);
  if (value === undefined) throw new Error(`secret ${endpoint.credentials?.secret} has no key ${key}`);
  return value;
}

/** The key's value, undefined when the Secret lacks it; throws when the template names no Secret at all. */
export function optionalSecretKey(endpoint: ProviderEndpoint, key: string, providerType: string): string | undefined {
  const { keys } = endpoint.credentials ?? {};
  if (!keys) throw new Error(`the ${providerType} provider needs spec.provider.secretRef, a Secret with the key ${key}`);
  const value = Object.hasOwn(keys, key) ? keys[key] : undefined;
  return value === undefined || value === '' ? undefined : value;
}
