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
