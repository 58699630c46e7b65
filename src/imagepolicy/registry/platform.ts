// Choosing the image for one platform out of a multi-platform index, with the rules container
// runtimes use: os and architecture must match, and a variant only when one is asked for
// (arm64 images are "v8" whether or not they say so).

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export const DEFAULT_PLATFORM = 'linux/amd64';

export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new Error(`"${text}" is not a platform; expected os/arch or os/arch/variant, e.g. "linux/arm64"`);
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** The first entry whose platform matches; entries without a platform (e.g. attestations) never do. */
export function selectPlatform<T extends { platform?: Platform }>(entries: T[], wanted: Platform): T | undefined {
  const exact = entries.find((entry) => entry.platform && matches(entry.platform, wanted, true));
  return exact ?? entries.find((entry) => entry.platform && matches(entry.platform, wanted, false));
}

function matches(candidate: Platform, wanted: Platform, sameVariant: boolean): boolean {
  if (candidate.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  const have = normalizedVariant(candidate);
  const want = normalizedVariant(wanted);
  if (sameVariant) return have === want;
  return want === undefined; // no variant asked for: any variant will do
}

function normalizedVariant(platform: Platform): string | undefined {
  if (platform.architecture === 'arm64' && (platform.variant === undefined || platform.variant === '')) return 'v8';
  return platform.variant || undefined;
}
