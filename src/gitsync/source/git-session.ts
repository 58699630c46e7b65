// One git session against one repository: a private HOME and temp dir under the cache directory, the
// credentials prepared for the child's environment, and every secret known to the failure scrubber.
// The key files (ssh) live only as long as the session.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { secretValues, type GitCredentials } from './credentials.ts';
import { gitRunner, type GitRunner } from './git-command.ts';
import { gitEnvironment } from './git-environment.ts';
import type { RepositoryUrl } from './repository-url.ts';
import type { SyncStage } from '../sync-error.ts';

export interface GitSessionSettings {
  cacheDir: string;
  git: string;
  timeoutMs: number;
  /** The stage a failure is reported under (default fetch). */
  stage?: SyncStage;
}

export async function withGitSession<T>(
  settings: GitSessionSettings,
  repository: RepositoryUrl,
  credentials: GitCredentials | undefined,
  task: (git: GitRunner) => Promise<T>,
): Promise<T> {
  const home = join(settings.cacheDir, 'home');
  const temp = join(settings.cacheDir, 'tmp');
  await mkdir(home, { recursive: true, mode: 0o700 });
  await mkdir(temp, { recursive: true, mode: 0o700 });
  const secrets = secretValues(credentials);
  if (repository.password) secrets.push(repository.password, encodeURIComponent(repository.password));
  const environment = await gitEnvironment(repository, credentials, { home, temp });
  try {
    const hadCredentials = !!(credentials?.password || credentials?.bearerToken || credentials?.identity || repository.password);
    return await task(
      gitRunner({
        git: settings.git,
        url: repository,
        env: environment.env,
        cwd: home,
        timeoutMs: settings.timeoutMs,
        secrets,
        hadCredentials,
        ...(settings.stage ? { stage: settings.stage } : {}),
      }),
    );
  } finally {
    await environment.cleanup();
  }
}
