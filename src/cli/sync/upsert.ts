// wren sync upsert NAME --url URL [...]: create a GitSync, or update the fields given as flags (like
// argocd app create --upsert). Server-side apply as "wren-cli" leaves fields other tools set alone.
import type { GitSync } from '../../api/git-sync.ts';
import { GIT_SYNC } from '../../api/kinds.ts';
import type { FieldProblem } from '../../api/validation/field-problem.ts';
import { validateResource } from '../../api/validation/validate-resource.ts';
import { isNotFound } from '../../kube/api-error.ts';
import type { KubeClient } from '../../kube/client.ts';
import { apiVersionOf, GIT_SYNCS } from '../../kube/resource-types.ts';
import { connect, parseCommand } from '../kube-flags.ts';
import { describeFlagProblem, normalizeBooleanFlags, specFromFlags, UPSERT_FLAGS } from './upsert-flags.ts';
import { PROGRAM } from '../program-name.ts';

export const CLI_FIELD_MANAGER = 'wren-cli';

const USAGE = `usage: ${PROGRAM} sync upsert NAME --url URL [-n NAMESPACE] [--kubeconfig PATH]
    [--branch B | --tag T | --semver RANGE | --commit SHA] [--path P] [--interval 1m]
    [--target-namespace NS] [--create-namespace] [--prune=false] [--self-heal=false]
    [--image name=newName:newTag | --image name@sha256:DIGEST]... [--secret-ref SECRET]
    [--render kustomize|helm|directory] [--depends-on [NAMESPACE/]NAME]...

Creates the GitSync, or updates it: the fields given as flags are set, fields set by other tools are
kept, and fields an earlier upsert set but this one leaves out are removed.
`;

// Validation needs no provider for GitSyncs; the context is there for Canaries.
const problemsOf = (object: unknown): FieldProblem[] => validateResource(GIT_SYNC, object, { defaultProvider: 'kubernetes' });

function report(problems: FieldProblem[], heading: string): number {
  process.stderr.write(`wren sync upsert: ${heading}:\n${problems.map((problem) => `  ${describeFlagProblem(problem)}\n`).join('')}`);
  return 2;
}

async function getIfExists(client: KubeClient, namespace: string, name: string): Promise<GitSync | undefined> {
  try {
    return await client.get<GitSync>(GIT_SYNCS, namespace, name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(normalizeBooleanFlags(args), UPSERT_FLAGS);
  const [name] = positionals;
  if (values.help || !name) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const flags = specFromFlags(values);
  if ('problems' in flags) return report(flags.problems, 'invalid flags');
  const invalid = problemsOf({ spec: flags.spec });
  if (invalid.length > 0) return report(invalid, 'invalid flags');
  const { client, namespace } = connect(values);
  const desired: GitSync = { apiVersion: apiVersionOf(GIT_SYNCS), kind: GIT_SYNCS.kind, metadata: { name, namespace }, spec: flags.spec };

  const before = await getIfExists(client, namespace, name);
  const options = { fieldManager: CLI_FIELD_MANAGER, force: true };
  // Fields other tools set stay, so the merged object can break a rule the flags alone keep
  // (a --tag next to someone's branch): check the server's dry-run result before writing.
  const merged = await client.apply<GitSync>(GIT_SYNCS, desired, { ...options, dryRun: true });
  const conflicts = problemsOf(merged);
  if (conflicts.length > 0)
    return report(conflicts, `with the fields already set on gitsync ${namespace}/${name}, the result would be invalid`);
  const after = await client.apply<GitSync>(GIT_SYNCS, desired, options);
  const outcome = !before ? 'created' : before.metadata?.resourceVersion === after.metadata?.resourceVersion ? 'unchanged' : 'configured';
  process.stdout.write(`gitsync ${namespace}/${name} ${outcome}\n`);
  return 0;
}
