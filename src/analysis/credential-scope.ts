// A MetricTemplate's credentials (spec.provider.secretRef) go only to the server the same template
// names. Whoever writes a Canary chooses its metricsServer and its template variables, so neither may
// decide where another namespace's (or its own namespace's) Secret is sent.
import type { MetricTemplate } from '../api/metric-template.ts';
import { defaultAddressOf } from './providers/service-defaults.ts';
import { placeholdersOf } from './query-template.ts';

type Provider = NonNullable<MetricTemplate['spec']>['provider'];

/** scheme://host:port of an address, or the address itself when it does not parse. */
function originPart(address: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(address);
  return match?.[1] ?? address;
}

/** Why this provider's credentials could be sent somewhere its template does not fix, or undefined when they cannot. */
export function credentialLeak(provider: Provider): string | undefined {
  if (!provider.secretRef) return undefined;
  if (!provider.address && !defaultAddressOf(provider.type)) {
    return "a template with credentials (spec.provider.secretRef) must name its own server in spec.provider.address; Wren never sends them to a Canary's metricsServer";
  }
  if (provider.address && placeholdersOf(originPart(provider.address)).length > 0) {
    return 'with credentials (spec.provider.secretRef), the scheme, host and port of spec.provider.address must be written out, not templated';
  }
  return undefined;
}
