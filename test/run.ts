// npm test: unit tests, then the integration tests against the real local control plane, which is
// built on first use, started if nothing runs yet, and stopped again afterwards if this run started it.
import { spawnSync } from 'node:child_process';
import { clusterDown, clusterUp } from '../src/localcluster/cluster.ts';

const progress = (message: string) => process.stderr.write(`# ${message}\n`);

function nodeTest(patterns: string[], extra: string[] = []): number {
  const result = spawnSync(process.execPath, ['--test', '--test-timeout=600000', ...extra, ...patterns], { stdio: 'inherit' });
  return result.status ?? 1;
}

const only = process.argv[2];
let failed = 0;
if (only !== 'integration') failed |= nodeTest(['test/unit/**/*.test.ts']);
if (only !== 'unit') {
  const { started } = await clusterUp(progress);
  try {
    failed |= nodeTest(['test/integration/**/*.test.ts'], ['--test-concurrency=1']);
  } finally {
    if (started && !process.env.WREN_KEEP_CLUSTER) await clusterDown(progress);
  }
}
process.exitCode = failed ? 1 : 0;
