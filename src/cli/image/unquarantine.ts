// wren image unquarantine POLICY TAG: lift the quarantine of a tag whose canary failed, so the policy
// may choose it again. The request is an annotation the operator acts on (see
// imagepolicy/unquarantine-request.ts); the command waits until it has been handled.
import type { ImagePolicy } from '../../api/image-policy.ts';
import { quarantinedTags } from '../../imagepolicy/quarantine.ts';
import { requestUnquarantine } from '../../imagepolicy/unquarantine-request.ts';
import { IMAGE_POLICIES } from '../../kube/resource-types.ts';
import { connect, parseCommand } from '../kube-flags.ts';
import { parseTimeout, waitForStatus } from '../wait-for-status.ts';
import { describeEntry, liftedEntries } from './lifted-entries.ts';
import { PROGRAM } from '../program-name.ts';

const USAGE = `usage: ${PROGRAM} image unquarantine POLICY TAG [-n NAMESPACE] [--kubeconfig PATH] [--timeout 60s]\n`;

// The tag grammar of github.com/distribution/reference.
const TAG = /^[\w][\w.-]{0,127}$/;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [name, tag] = positionals;
  if (values.help || !name || !tag || positionals.length > 2) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  if (!TAG.test(tag)) {
    process.stderr.write(`TAG: ${JSON.stringify(tag)} is not an image tag (letters, digits, _ . -, at most 128)\n`);
    return 2;
  }
  const timeoutMs = parseTimeout(values.timeout, 60_000);
  const { client, namespace } = connect(values);
  const policyName = `imagepolicy ${namespace}/${name}`;
  const before = await client.get<ImagePolicy>(IMAGE_POLICIES, namespace, name);
  const request = await requestUnquarantine(client, namespace, name, tag);
  const handled = await waitForStatus<ImagePolicy>(
    client,
    IMAGE_POLICIES,
    namespace,
    name,
    (policy) => policy.status?.lastHandledUnquarantine === request,
    timeoutMs,
  );
  if (!handled) {
    process.stderr.write(
      `${policyName} has not handled the request within ${timeoutMs / 1000}s; is the operator running? ` +
        `(its Events say what came of it later)\n`,
    );
    return 2;
  }
  const lifted = liftedEntries(before.status?.quarantined, handled.status?.quarantined, tag);
  if (lifted.length === 0) {
    const held = [...quarantinedTags(handled.status?.quarantined).keys()];
    process.stderr.write(
      `${tag} is not quarantined by ${policyName}: nothing lifted (${held.length > 0 ? `quarantined: ${held.join(', ')}` : 'no tag is quarantined'})\n`,
    );
    return 1;
  }
  for (const entry of lifted) process.stdout.write(`lifted ${tag} from quarantine of ${policyName}: ${describeEntry(entry)}\n`);
  process.stdout.write(`${name} may choose ${tag} again\n`);
  return 0;
}
