// spec.ref → what `git ls-remote` is asked and which of its lines answers it. Pure, so the rules for
// branches, tags, semver ranges and peeled tags are table-tested without a remote.
import semver from 'semver';
import type { GitSync } from '../../api/git-sync.ts';
import { SyncError } from '../sync-error.ts';

export type GitRef = NonNullable<GitSync['spec']['ref']>;

export interface ResolvedRevision {
  commit: string;
  /** The ref the commit came from (refs/heads/main, refs/tags/v1.2.0, HEAD's target), or the commit itself. */
  refName: string;
}

export interface RemoteListing {
  /** ref name → object name, including peeled `refs/tags/x^{}` entries. */
  refs: Map<string, string>;
  /** symbolic ref → its target, from `--symref` (HEAD → refs/heads/main). */
  symrefs: Map<string, string>;
}

const FULL_SHA = /^[0-9a-f]{40}$/;

function invalid(message: string): never {
  throw new SyncError('fetch', message);
}

/** Refuses ref values git could read as an option or that are no valid ref name. */
export function checkRef(ref: GitRef | undefined): void {
  if (!ref) return;
  const set = (['branch', 'tag', 'semver', 'commit'] as const).filter((key) => ref[key] !== undefined);
  if (set.length > 1 && !(set.length === 2 && ref.branch !== undefined && ref.commit !== undefined)) {
    invalid(`spec.ref sets ${set.join(' and ')}; set one (or a branch with a commit)`);
  }
  for (const key of ['branch', 'tag'] as const) {
    const name = ref[key];
    if (name !== undefined && !isValidRefName(name)) invalid(`spec.ref.${key} ${JSON.stringify(name)} is not a valid Git ${key} name`);
  }
  if (ref.semver !== undefined && (ref.semver.trim().startsWith('-') || semver.validRange(ref.semver) === null)) {
    invalid(`spec.ref.semver ${JSON.stringify(ref.semver)} is not a valid semver range`);
  }
  if (ref.commit !== undefined && !/^[0-9a-f]{7,40}$/.test(ref.commit))
    invalid(`spec.ref.commit ${JSON.stringify(ref.commit)} is not a commit SHA`);
}

/** git check-ref-format's rules, and never a leading "-". */
export function isValidRefName(name: string): boolean {
  if (!name || name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//') || name === '@') return false;
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return false;
  return name.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}

/** The options and patterns of the `git ls-remote` that resolves a ref; undefined when none is needed. */
export function lsRemoteQuery(ref: GitRef | undefined): { options: string[]; patterns: string[] } | undefined {
  if (ref?.commit !== undefined) return undefined;
  if (ref?.branch !== undefined) return { options: [], patterns: [`refs/heads/${ref.branch}`] };
  if (ref?.tag !== undefined) return { options: [], patterns: [`refs/tags/${ref.tag}`, `refs/tags/${ref.tag}^{}`] };
  if (ref?.semver !== undefined) return { options: ['--tags'], patterns: [] };
  return { options: ['--symref'], patterns: ['HEAD'] };
}

export function parseLsRemote(stdout: string): RemoteListing {
  const refs = new Map<string, string>();
  const symrefs = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [left, name] = line.split('\t');
    if (!left || !name) continue;
    if (left.startsWith('ref: ')) symrefs.set(name, left.slice('ref: '.length));
    else refs.set(name, left);
  }
  return { refs, symrefs };
}

/** The commit a tag names: the peeled entry for an annotated tag, the tag itself for a lightweight one. */
function tagCommit(refs: Map<string, string>, refName: string): string | undefined {
  return refs.get(`${refName}^{}`) ?? refs.get(refName);
}

/** Picks the revision spec.ref names out of a listing; a commit ref needs none. */
export function pickRevision(ref: GitRef | undefined, listing: RemoteListing, where: string): ResolvedRevision {
  if (ref?.commit !== undefined) {
    return { commit: ref.commit, refName: ref.branch !== undefined ? `refs/heads/${ref.branch}` : ref.commit };
  }
  if (ref?.branch !== undefined) {
    const refName = `refs/heads/${ref.branch}`;
    const commit = listing.refs.get(refName);
    if (!commit) invalid(`branch ${JSON.stringify(ref.branch)} was not found in ${where}`);
    return { commit, refName };
  }
  if (ref?.tag !== undefined) {
    const refName = `refs/tags/${ref.tag}`;
    const commit = tagCommit(listing.refs, refName);
    if (!commit) invalid(`tag ${JSON.stringify(ref.tag)} was not found in ${where}`);
    return { commit, refName };
  }
  if (ref?.semver !== undefined) {
    const picked = pickSemverTag(ref.semver, listing.refs);
    if (!picked) invalid(`no tag of ${where} matches the semver range ${JSON.stringify(ref.semver)}`);
    return picked;
  }
  const commit = listing.refs.get('HEAD');
  if (!commit) invalid(`${where} has no HEAD (is it empty?)`);
  return { commit, refName: listing.symrefs.get('HEAD') ?? 'HEAD' };
}

/** The highest tag (v1.2.3 or 1.2.3) in the range, as the commit it points to. */
export function pickSemverTag(range: string, refs: Map<string, string>): ResolvedRevision | undefined {
  let best: { version: string; refName: string } | undefined;
  for (const refName of refs.keys()) {
    if (!refName.startsWith('refs/tags/') || refName.endsWith('^{}')) continue;
    const version = semver.valid(refName.slice('refs/tags/'.length));
    if (!version || !semver.satisfies(version, range)) continue;
    const order = best ? semver.compare(version, best.version) : 1;
    if (order > 0 || (order === 0 && best && refName < best.refName)) best = { version, refName };
  }
  if (!best) return undefined;
  const commit = tagCommit(refs, best.refName);
  return commit ? { commit, refName: best.refName } : undefined;
}

/** The ref whose history is fetched when the server will not hand out a commit by its SHA. */
export function fallbackRefName(ref: GitRef | undefined, resolvedRefName?: string): string {
  if (ref?.branch !== undefined) return `refs/heads/${ref.branch}`;
  if (ref?.tag !== undefined) return `refs/tags/${ref.tag}`;
  if (ref?.semver !== undefined && resolvedRefName) return resolvedRefName;
  return 'HEAD';
}

export function isFullSha(value: string): boolean {
  return FULL_SHA.test(value);
}
