// The image policy as users write it. The API schema mirrors these field names exactly
// (Flux ImagePolicy for the ordering policies, Argo CD Image Updater for allowTags/ignoreTags),
// so keep them in step with it.

export type TagOrder = 'asc' | 'desc';

export interface TagPolicy {
  /** Newest tag satisfying the range; tags that are not semver (v-prefix allowed) are skipped. */
  semver?: { range: string };
  /** The tag whose image config `created` is newest. */
  newestBuild?: Record<string, never>;
  /** Follow a mutable tag (e.g. "main"); the chosen version is that tag at its current digest. */
  digest?: { tag: string };
  /** asc (default) picks the last tag in ascending order, as Flux does. */
  alphabetical?: { order?: TagOrder };
  /** Tags (or extracted values) read as integers or decimals; asc (default) picks the highest. */
  numerical?: { order?: TagOrder };
}

export interface TagFilter {
  /** JS regex (Go's `(?P<name>…)` accepted); extract is a `$name`/`${name}`/`$1` template whose result is what the policy orders. */
  filterTags?: { pattern: string; extract?: string };
  /** Regex; only matching tags are candidates. */
  allowTags?: string;
  /** Globs (`*`, `?`) of tags never considered. */
  ignoreTags?: string[];
}

/** A tag that survived the filters, with the value the policy orders (the extracted value, else the tag). */
export interface CandidateTag {
  tag: string;
  value: string;
}

/** A tag left out, with why; shown in status so users can see why their tag was not picked. */
export interface SkippedTag {
  tag: string;
  reason: string;
}

export interface VersionSelection {
  chosen?: { tag: string };
  skipped: SkippedTag[];
  /** One line saying why the result is what it is. */
  reason: string;
}

/** Facts fetched from the registry that some policies need beyond the tag list. */
export interface TagFacts {
  /** Image config `created`, keyed by tag; only newestBuild reads it. */
  created?: Map<string, Date>;
}
