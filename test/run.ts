// npm test: unit tests, then the integration tests against the real local control plane, which is
// built on first use, started if nothing runs yet, and stopped again afterwards if this run started it.
// Each phase runs in its own process group under a deadline, so nothing a test starts (an operator,
// a load tester) can outlive the run or hold it up forever.
import { spawn } from 'node:child_process';
import { clusterDown, clusterUp } from '../src/localcluster/cluster.ts';
import { ensurePrometheus } from '../src/localcluster/debian-packages.ts';

const progress = (message: string) => process.stderr.write(`# ${message}\n`);
const MINUTE = 60_000;

async function nodeTest(patterns: string[], deadlineMs: number, extra: string[] = []): Promise<number> {
  const child = spawn(process.execPath, ['--test', '--test-timeout=300000', ...extra, ...patterns], { stdio: 'inherit', detached: true });
  const killGroup = () => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  };
  const deadline = setTimeout(() => {
    progress(`the tests ran past their ${deadlineMs / MINUTE} minute deadline; stopping them`);
    killGroup();
  }, deadlineMs);
  const code = await new Promise<number>((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
  clearTimeout(deadline);
  killGroup(); // leftovers of a test that forgot to stop what it started
  return code;
}

const only = process.argv[2];
let failed = 0;
if (only !== 'integration') failed |= await nodeTest(['test/unit/**/*.test.ts'], 10 * MINUTE);
if (only !== 'unit') {
  await ensurePrometheus();
  const { started } = await clusterUp(progress);
  try {
    failed |= await nodeTest(['test/integration/**/*.test.ts'], 45 * MINUTE, ['--test-concurrency=1']);
  } finally {
    if (started && !process.env.WREN_KEEP_CLUSTER) {
      await clusterDown(progress);
      failed |= await nodeTest(['test/teardown/*.test.ts'], 5 * MINUTE);
    }
  }
}
process.exitCode = failed ? 1 : 0;
