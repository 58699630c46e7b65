import type { ImagePolicy } from '../image-policy.ts';
import { validatePolicy } from '../../imagepolicy/policy/validate-policy.ts';
import { parseImageRepository } from '../../imagepolicy/registry/image-repository.ts';
import { quoted, type FieldProblem } from './field-problem.ts';

type Spec = NonNullable<ImagePolicy['spec']>;

const isRelativeInside = (path: string) => !path.startsWith('/') && !path.split('/').includes('..');

export function imagePolicyProblems(spec: Spec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  try {
    parseImageRepository(spec.image);
  } catch (error) {
    problems.push({ field: 'spec.image', message: error instanceof Error ? error.message : String(error) });
  }
  for (const problem of validatePolicy({ ...spec.policy, ...spec })) {
    const colon = problem.indexOf(': ');
    problems.push({ field: `spec.${problem.slice(0, colon)}`, message: problem.slice(colon + 2) });
  }
  const writeBack = spec.writeBack;
  if (writeBack?.path !== undefined && !isRelativeInside(writeBack.path)) {
    problems.push({ field: 'spec.writeBack.path', message: 'must be a relative path inside the repository' });
  }
  if (writeBack?.kustomization?.file !== undefined && !isRelativeInside(writeBack.kustomization.file)) {
    problems.push({ field: 'spec.writeBack.kustomization.file', message: 'must be a relative path inside the repository' });
  }
  writeBack?.helmValues?.forEach((values, index) => {
    if (!isRelativeInside(values.file))
      problems.push({ field: `spec.writeBack.helmValues[${index}].file`, message: 'must be a relative path inside the repository' });
  });
  if (writeBack?.method === 'override') {
    for (const field of ['branch', 'commitMessage', 'author', 'kustomization', 'helmValues'] as const) {
      if (writeBack[field] !== undefined) problems.push({ field: `spec.writeBack.${field}`, message: 'only applies to method git' });
    }
  }
  if (writeBack?.branch !== undefined && !/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/.test(writeBack.branch)) {
    problems.push({ field: 'spec.writeBack.branch', message: `${quoted(writeBack.branch)} is not a valid branch name` });
  }
  return problems;
}
