import type { GitSync } from '../git-sync.ts';
import type { FieldProblem } from './field-problem.ts';

type Spec = NonNullable<GitSync['spec']>;

const URL_SCHEMES = ['https:', 'http:', 'ssh:', 'git:', 'file:'];
// scp-like ssh syntax: git@github.com:org/repo.git
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/].*$/;

export function gitSyncProblems(spec: Spec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (spec.url.startsWith('-')) {
    problems.push({ field: 'spec.url', message: 'must not start with "-"' });
  } else if (!SCP_LIKE.test(spec.url) && !URL_SCHEMES.includes(schemeOf(spec.url))) {
    problems.push({ field: 'spec.url', message: `"${spec.url}" is not a supported repository URL (https, ssh, git, file)` });
  }
  const refs = Object.entries(spec.ref ?? {}).filter(([, value]) => value !== undefined);
  if (refs.length > 1) {
    problems.push({
      field: 'spec.ref',
      message: `set one of branch, tag, semver, commit; got ${refs.map(([name]) => name).join(' and ')}`,
    });
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
