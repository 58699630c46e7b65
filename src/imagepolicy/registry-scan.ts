// One look at the registry for one ImagePolicy: list the tags, leave out the quarantined ones, filter
// the rest, let the policy pick, and read the digest of the pick. Build dates (newestBuild) are fetched only for the candidates and
// remembered per tag, so a scan after the first asks only about new tags.
import type { ImagePolicy } from '../api/image-policy.ts';
import { candidateTags } from './policy/candidate-tags.ts';
import { needsCreatedDates } from './policy/policy-kind.ts';
import type { TagPolicy } from './policy/policy-spec.ts';
import { selectVersion } from './policy/select-version.ts';
import { parseImageRepository, repositoryName, type ImageRepository } from './registry/image-repository.ts';
import type { ScanOutcome } from './policy-status.ts';
import { withoutQuarantined } from './quarantine.ts';

/** What a scan needs of a registry; RegistryClient is the real one. */
export interface RegistryReader {
  listTags(repo: ImageRepository): Promise<string[]>;
  tagDigest(repo: ImageRepository, tag: string): Promise<string>;
  imageCreated(repo: ImageRepository, tag: string, platform?: string): Promise<Date | undefined>;
}

const CREATED_LOOKUPS_IN_PARALLEL = 8;
const REMEMBERED_DATES = 50_000;

export class RegistryScanner {
  /** Build dates by "registry/path:tag@platform"; a tag pushed again keeps its first date until a restart. */
  private readonly created = new Map<string, Date | undefined>();

  /** `quarantined` maps the tags the policy must not choose to the reason (see quarantinedTags). */
  async scan(policy: ImagePolicy, registry: RegistryReader, quarantined: ReadonlyMap<string, string> = new Map()): Promise<ScanOutcome> {
    const spec = policy.spec;
    const repo = parseImageRepository(spec.image);
    const tags = await registry.listTags(repo);
    const { allowed, skipped: held } = withoutQuarantined(tags, quarantined);
    const { candidates, skipped } = candidateTags(allowed, spec);
    const ordering = spec.policy as TagPolicy;
    const created = needsCreatedDates(ordering)
      ? await this.createdDates(
          registry,
          repo,
          candidates.map((candidate) => candidate.tag),
          spec.platform,
        )
      : undefined;
    const selection = selectVersion(ordering, candidates, created ? { created } : {});
    const chosen = selection.chosen?.tag;
    const latest = chosen ? { tag: chosen, digest: await registry.tagDigest(repo, chosen) } : undefined;
    return { tagsSeen: tags.length, latest, skipped: [...held, ...skipped, ...selection.skipped], reason: selection.reason };
  }

  private async createdDates(
    registry: RegistryReader,
    repo: ImageRepository,
    tags: string[],
    platform: string | undefined,
  ): Promise<Map<string, Date>> {
    const keyOf = (tag: string) => `${repositoryName(repo)}:${tag}@${platform ?? ''}`;
    if (this.created.size > REMEMBERED_DATES) this.created.clear();
    const missing = tags.filter((tag) => !this.created.has(keyOf(tag)));
    for (let start = 0; start < missing.length; start += CREATED_LOOKUPS_IN_PARALLEL) {
      const batch = missing.slice(start, start + CREATED_LOOKUPS_IN_PARALLEL);
      const dates = await Promise.all(batch.map((tag) => registry.imageCreated(repo, tag, platform)));
      batch.forEach((tag, index) => this.created.set(keyOf(tag), dates[index]));
    }
    const dates = new Map<string, Date>();
    for (const tag of tags) {
      const date = this.created.get(keyOf(tag));
      if (date) dates.set(tag, date);
    }
    return dates;
  }
}
