/** One reason a resource is invalid, tied to the field a user must fix. */
export interface FieldProblem {
  /** Dotted path, e.g. spec.analysis.metrics[1].templateRef */
  field: string;
  message: string;
}

export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}
