// The flags of `wren sync upsert` and the GitSync spec they describe. Only flags given become fields,
// so the server-side apply that follows leaves every other field to whoever set it.
import type { ParseArgsConfig } from 'node:util';
import type { GitSync } from '../../api/git-sync.ts';
import type { FieldProblem } from '../../api/validation/field-problem.ts';
import { parseImageFlag } from './image-flag.ts';

type Spec = GitSync['spec'];

export const UPSERT_FLAGS = {
  url: { type: 'string' },
  branch: { type: 'string' },
  tag: { type: 'string' },
  semver: { type: 'string' },
  commit: { type: 'string' },
  path: { type: 'string' },
  interval: { type: 'string' },
  'target-namespace': { type: 'string' },
  'create-namespace': { type: 'boolean' },
  prune: { type: 'boolean' },
  'self-heal': { type: 'boolean' },
  image: { type: 'string', multiple: true },
  'secret-ref': { type: 'string' },
  render: { type: 'string' },
  'depends-on': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const BOOLEAN_FLAGS = ['create-namespace', 'prune', 'self-heal'];

/** Rewrites --prune=false as --no-prune (and =true as --prune): the form users know from other CLIs. */
export function normalizeBooleanFlags(args: string[]): string[] {
  return args.map((arg) => {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match || !BOOLEAN_FLAGS.includes(match[1] as string)) return arg;
    const [, flag, value] = match;
    if (value === 'true') return `--${flag}`;
    if (value === 'false') return `--no-${flag}`;
    throw new Error(`--${flag}: expected true or false, got "${value}"`);
  });
}

export interface UpsertValues {
  url?: string;
  branch?: string;
  tag?: string;
  semver?: string;
  commit?: string;
  path?: string;
  interval?: string;
  'target-namespace'?: string;
  'create-namespace'?: boolean;
  prune?: boolean;
  'self-heal'?: boolean;
  image?: string[];
  'secret-ref'?: string;
  render?: string;
  'depends-on'?: string[];
}

function dependencyOf(text: string): { name: string; namespace?: string } | undefined {
  const parts = text.split('/');
  if (parts.length === 1 && parts[0]) return { name: text };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  return undefined;
}

/** The spec the flags describe, or what is wrong with the flags themselves. */
export function specFromFlags(values: UpsertValues): { spec: Spec } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!values.url) problems.push({ field: 'spec.url', message: 'is required' });
  const images = (values.image ?? []).map(parseImageFlag);
  for (const image of images) if ('error' in image) problems.push({ field: 'spec.images', message: image.error });
  const dependsOn = (values['depends-on'] ?? []).map((text) => {
    const dependency = dependencyOf(text);
    if (!dependency) problems.push({ field: 'spec.dependsOn', message: `"${text}" is not NAME or NAMESPACE/NAME` });
    return dependency;
  });
  if (problems.length > 0) return { problems };
  const ref = Object.fromEntries(
    (['branch', 'tag', 'semver', 'commit'] as const).flatMap((kind) => (values[kind] === undefined ? [] : [[kind, values[kind]]])),
  );
  const optional = <T>(value: T | undefined, field: string) => (value === undefined ? {} : { [field]: value });
  const spec = {
    url: values.url as string,
    ...(Object.keys(ref).length > 0 ? { ref } : {}),
    ...optional(values.path, 'path'),
    ...optional(values.interval, 'interval'),
    ...optional(values['target-namespace'], 'targetNamespace'),
    ...optional(values['create-namespace'], 'createNamespace'),
    ...optional(values.prune, 'prune'),
    ...optional(values['self-heal'], 'selfHeal'),
    ...(images.length > 0 ? { images } : {}),
    ...(values['secret-ref'] === undefined ? {} : { secretRef: { name: values['secret-ref'] } }),
    ...(values.render === undefined ? {} : { render: { type: values.render } }),
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
  };
  return { spec: spec as Spec };
}

const FLAG_OF_FIELD: [string, string][] = [
  ['spec.url', '--url'],
  ['spec.ref.branch', '--branch'],
  ['spec.ref.tag', '--tag'],
  ['spec.ref.semver', '--semver'],
  ['spec.ref.commit', '--commit'],
  ['spec.ref', '--branch, --tag, --semver, --commit'],
  ['spec.path', '--path'],
  ['spec.interval', '--interval'],
  ['spec.targetNamespace', '--target-namespace'],
  ['spec.createNamespace', '--create-namespace'],
  ['spec.prune', '--prune'],
  ['spec.selfHeal', '--self-heal'],
  ['spec.images', '--image'],
  ['spec.secretRef', '--secret-ref'],
  ['spec.render.type', '--render'],
  ['spec.dependsOn', '--depends-on'],
];

/** "spec.interval (--interval): must match ...": the field the operator would name, and the flag to fix. */
export function describeFlagProblem(problem: FieldProblem): string {
  const flag = FLAG_OF_FIELD.find(
    ([field]) => problem.field === field || problem.field.startsWith(`${field}.`) || problem.field.startsWith(`${field}[`),
  );
  return `${problem.field}${flag ? ` (${flag[1]})` : ''}: ${problem.message}`;
}
