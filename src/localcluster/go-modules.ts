// The test infrastructure's Go modules (test/infra/*/go.mod) pin every binary's version; this reads
// the pins so the cache key can never disagree with what is built.
import { readFileSync } from 'node:fs';

export function requiredVersion(goModPath: string, modulePath: string): string {
  const goMod = readFileSync(goModPath, 'utf8');
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = goMod.match(new RegExp(`^\\s*${escaped}\\s+(v[^\\s]+)`, 'm'));
  if (!match?.[1]) throw new Error(`${goModPath} does not require ${modulePath}`);
  return match[1];
}
