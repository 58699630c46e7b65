// Names a key in a Helm values file: dots separate keys ("image.tag"); a backslash makes the next
// character literal, so a key with a dot is written "podAnnotations.example\.com/image". A step of
// digits indexes a list ("sidecars.0.image.tag") where the value there is a list.
import { WriteBackError } from './write-back-error.ts';

export function parseHelmKeyPath(path: string): string[] {
  const steps: string[] = [];
  let current = '';
  for (let index = 0; index < path.length; index++) {
    const character = path[index]!;
    if (character === '\\') {
      const escaped = path[index + 1];
      if (escaped === undefined) throw new WriteBackError(`values key "${path}" ends in a lone backslash`);
      current += escaped;
      index++;
    } else if (character === '.') {
      steps.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  steps.push(current);
  if (steps.includes('')) throw new WriteBackError(`values key "${path}" has an empty step`);
  return steps;
}
