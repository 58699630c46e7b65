// Traffic providers a Canary may name in spec.provider. Aliases map Flagger's versioned names.
export const TRAFFIC_PROVIDERS = ['kubernetes', 'nginx', 'gatewayapi', 'istio', 'linkerd', 'smi', 'contour', 'traefik'] as const;
export type TrafficProvider = (typeof TRAFFIC_PROVIDERS)[number];

const ALIASES: Record<string, TrafficProvider> = {
  'gatewayapi:v1': 'gatewayapi',
  'smi:v1alpha1': 'smi',
  'smi:v1alpha2': 'smi',
  'smi:v1alpha3': 'smi',
};

export function normalizeProvider(name: string): TrafficProvider | undefined {
  if ((TRAFFIC_PROVIDERS as readonly string[]).includes(name)) return name as TrafficProvider;
  return ALIASES[name];
}

export const BUILTIN_METRICS = ['request-success-rate', 'request-duration'] as const;

/** Providers with built-in metric templates (analysis-templates/<provider>.yaml). */
/** Providers whose built-in templates carry a spec.comparison (compareTo: primary without a templateRef). */
export const BUILTIN_COMPARISON_PROVIDERS: readonly TrafficProvider[] = ['kubernetes', 'gatewayapi', 'istio', 'linkerd'];

export const BUILTIN_TEMPLATE_PROVIDERS: readonly TrafficProvider[] = [
  'kubernetes',
  'gatewayapi',
  'istio',
  'linkerd',
  'smi',
  'nginx',
  'traefik',
];

export interface ProviderCapabilities {
  /** Split traffic by percentage (canary weights). */
  weights: boolean;
  /** Route by header or cookie (A/B testing). */
  requestMatch: boolean;
  mirror: boolean;
  sessionAffinity: boolean;
}

// What each provider can do, so a Canary asking for more is rejected up front instead of silently
// half-working. The kubernetes provider switches the apex Service's selector: all or nothing.
export const PROVIDER_CAPABILITIES: Record<TrafficProvider, ProviderCapabilities> = {
  kubernetes: { weights: false, requestMatch: false, mirror: false, sessionAffinity: false },
  nginx: { weights: true, requestMatch: true, mirror: false, sessionAffinity: false },
  gatewayapi: { weights: true, requestMatch: true, mirror: true, sessionAffinity: true },
  istio: { weights: true, requestMatch: true, mirror: true, sessionAffinity: true },
  linkerd: { weights: true, requestMatch: false, mirror: false, sessionAffinity: false },
  smi: { weights: true, requestMatch: false, mirror: false, sessionAffinity: false },
  contour: { weights: true, requestMatch: true, mirror: false, sessionAffinity: false },
  traefik: { weights: true, requestMatch: false, mirror: true, sessionAffinity: true },
};
