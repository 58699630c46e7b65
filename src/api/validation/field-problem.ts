/** One reason a resource is invalid, tied to the field a user must fix. */
export interface FieldProblem {
  /** Dotted path, e.g. spec.analysis.metrics[1].templateRef */
  field: string;
  message: string;
}

export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}

/**
 * A value from a spec as a message quotes it: JSON-escaped, so control characters and terminal
 * escapes show as \u001b instead of acting, and cut short, so a value of hundreds of KB does not
 * come back in every status and event.
 */
export function quoted(value: string, max = 80): string {
  return value.length > max ? `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)` : JSON.stringify(value);
}
