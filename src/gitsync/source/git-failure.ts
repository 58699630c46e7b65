// What a failed git run tells the user: the lines of its stderr that say why, with every secret and
// every URL's user info taken out, since the message ends up in status and events.
import { redactUrl } from './repository-url.ts';

const NOISE = /^(hint:|From |To | \* |\s*[=+-]|Cloning into|remote: (Counting|Compressing|Enumerating|Total))/;
const MAX_LENGTH = 400;

export function scrubSecrets(text: string, secrets: string[]): string {
  let scrubbed = text;
  for (const secret of secrets) if (secret) scrubbed = scrubbed.split(secret).join('***');
  return redactUrl(scrubbed);
}

/** The useful lines of git's stderr ("Repository not found", "Authentication failed", ...), scrubbed. */
export function gitFailureReason(stderr: string, secrets: string[], hadCredentials: boolean): string {
  if (/could not read (Username|Password)|terminal prompts disabled/i.test(stderr)) {
    return hadCredentials
      ? 'authentication failed: the server refused the credentials from spec.secretRef'
      : 'authentication required: the server asks for credentials and spec.secretRef gives none';
  }
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line && !NOISE.test(line));
  const useful = lines.filter((line) => /^(fatal|error|remote):|denied|failed|not found|refused|could not|couldn't|unable/i.test(line));
  const chosen = useful.length > 0 ? useful : lines.slice(-1);
  const reason = scrubSecrets(chosen.join('; ') || 'git failed without a message', secrets);
  return reason.length > MAX_LENGTH ? `${reason.slice(0, MAX_LENGTH)}…` : reason;
}
