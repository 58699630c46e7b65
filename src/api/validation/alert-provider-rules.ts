import type { AlertProvider } from '../alert-provider.ts';
import { isHttpUrl } from './canary-rules.ts';
import type { FieldProblem } from './field-problem.ts';

type Spec = NonNullable<AlertProvider['spec']>;

export function alertProviderProblems(spec: Spec): FieldProblem[] {
  if (!spec.address && !spec.secretRef) {
    return [{ field: 'spec.secretRef', message: 'give the hook URL in a Secret (secretRef) or in address' }];
  }
  if (spec.address !== undefined && !isHttpUrl(spec.address)) {
    return [{ field: 'spec.address', message: 'is not an http(s) URL' }];
  }
  if (spec.proxy !== undefined && !isHttpUrl(spec.proxy)) {
    return [{ field: 'spec.proxy', message: 'is not an http(s) URL' }];
  }
  return [];
}
