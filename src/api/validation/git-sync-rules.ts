import semver from 'semver';
import type { GitSync } from '../git-sync.ts';
import { isValidRefName } from '../../gitsync/source/git-ref.ts';
import { repositoryUrlProblem } from '../../gitsync/source/repository-url.ts';
import { quoted, type FieldProblem } from './field-problem.ts';

type Spec = NonNullable<GitSync['spec']>;

const URL_SCHEMES = ['https:', 'http:', 'ssh:', 'git:', 'file:'];
// scp-like ssh syntax: git@github.com:org/repo.git
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/].*$/;

export function gitSyncProblems(spec: Spec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (spec.url.startsWith('-')) {
    problems.push({ field: 'spec.url', message: 'must not start with "-"' });
  } else if (!SCP_LIKE.test(spec.url) && !URL_SCHEMES.includes(schemeOf(spec.url))) {
    problems.push({ field: 'spec.url', message: 'is not a supported repository URL (https, ssh, git, file, or user@host:path)' });
  } else {
    // What the fetch would refuse (a host git reads as an option, hidden characters) is refused now.
    const problem = repositoryUrlProblem(spec.url);
    if (problem) problems.push({ field: 'spec.url', message: problem });
  }
  const refs = Object.entries(spec.ref ?? {}).filter(([, value]) => value !== undefined);
  if (refs.length > 1) {
    problems.push({
      field: 'spec.ref',
      message: `set one of branch, tag, semver, commit; got ${refs.map(([name]) => name).join(' and ')}`,
    });
  }
  for (const key of ['branch', 'tag'] as const) {
    const name = spec.ref?.[key];
    if (name !== undefined && !isValidRefName(name)) {
      problems.push({ field: `spec.ref.${key}`, message: `${quoted(name)} is not a valid Git ${key} name` });
    }
  }
  const range = spec.ref?.semver;
  if (range !== undefined && (range.trim().startsWith('-') || semver.validRange(range) === null)) {
    problems.push({ field: 'spec.ref.semver', message: `${quoted(range)} is not a valid semver range` });
  }
  if (spec.path && (spec.path.split('/').includes('..') || spec.path.startsWith('/'))) {
    problems.push({ field: 'spec.path', message: 'must be a relative path inside the repository' });
  }
  if (spec.render?.helm && spec.render.type !== 'helm') {
    problems.push({ field: 'spec.render.helm', message: 'needs spec.render.type: helm' });
  }
  if (spec.createNamespace && !spec.targetNamespace) {
    problems.push({ field: 'spec.createNamespace', message: 'needs spec.targetNamespace' });
  }
  spec.images?.forEach((image, index) => {
    if (!image.newName && !image.newTag && !image.digest) {
      problems.push({ field: `spec.images[${index}]`, message: 'set newName, newTag or digest' });
    }
  });
  return problems;
}

function schemeOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}
