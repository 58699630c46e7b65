import { clusterDown, clusterUp } from '../localcluster/cluster.ts';
import { KUBECONFIG_PATH } from '../localcluster/paths.ts';

const progress = (message: string) => process.stderr.write(`${message}\n`);

export async function run(args: string[]): Promise<number> {
  const [action] = args;
  switch (action) {
    case 'up': {
      const { kubeconfig } = await clusterUp(progress);
      process.stdout.write(`export KUBECONFIG=${kubeconfig}\n`);
      return 0;
    }
    case 'down':
      await clusterDown(progress);
      return 0;
    case 'kubeconfig':
      process.stdout.write(`${KUBECONFIG_PATH}\n`);
      return 0;
    default:
      process.stderr.write('usage: wren cluster up | down | kubeconfig\n');
      return 2;
  }
}
