// wren demo-app: the demo application shipped with Wren (as podinfo ships with Flagger's docs). Its
// image is ghcr.io/wren-dev/demo-app:TAG; the local pod runtime runs it for pods of that image.
import { createDemoServer } from '../demoapp/server.ts';
import { demoSettings, DemoSettingsError } from '../demoapp/settings.ts';
import { PROGRAM } from './program-name.ts';

const USAGE = `usage: ${PROGRAM} demo-app

Serves HTTP on $PORT (default 8080): every answer names its version ($DEMO_VERSION, the image tag)
and pod ($HOSTNAME) in the body and in the X-Demo-Version and X-Demo-Pod headers. /healthz and
/readyz are its probes, /metrics exports http_request_duration_seconds{method,path,status}.
Faults for a "bad version": DEMO_ERROR_RATE (0..1, share of 500 answers), DEMO_LATENCY_MS.
On SIGTERM it keeps serving DEMO_SHUTDOWN_DELAY_MS (default 3000) with /readyz failing, then stops.
`;

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let settings;
  try {
    settings = demoSettings(process.env);
  } catch (error) {
    if (!(error instanceof DemoSettingsError)) throw error;
    process.stderr.write(`demo-app: ${error.message}\n`);
    return 2;
  }
  const { server, drain } = createDemoServer(settings);
  await new Promise<void>((resolve, reject) => server.listen(settings.port, resolve).once('error', reject));
  process.stdout.write(
    `${JSON.stringify({ msg: 'demo app listening', port: settings.port, version: settings.version, pod: settings.pod })}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      drain();
      setTimeout(() => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }, settings.shutdownDelayMs);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
