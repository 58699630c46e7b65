// Query templates as Flagger writes them: {{ name }}, {{ namespace }}, {{ target }}, {{ service }},
// {{ ingress }}, {{ interval }} and {{ variables.x }}. A variable that is not defined is an error
// naming it: an empty string would silently turn a query into one that matches nothing.
export interface TemplateVariables {
  name: string;
  namespace: string;
  target: string;
  service: string;
  ingress?: string;
  interval: string;
  variables: Record<string, string>;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

// Greedy and without an optional run of spaces next to a lazy one: "{{" followed by a long run of
// spaces and no "}}" must cost linear time, not hours of backtracking. The expression is trimmed after.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_-]*)?$/;

export function renderTemplate(template: string, variables: TemplateVariables): string {
  return template.replace(PLACEHOLDER, (_match, spaced: string) => {
    const expression = spaced.trim();
    if (!VARIABLE.test(expression)) throw new TemplateError(`"{{ ${expression} }}" is not a variable; use {{ name }} or {{ variables.x }}`);
    const [head, key] = expression.split('.') as [string, string | undefined];
    if (head === 'variables' && key !== undefined) {
      // Own keys only: {{ variables.constructor }} must not find Object.prototype.constructor.
      const value = Object.hasOwn(variables.variables, key) ? variables.variables[key] : undefined;
      if (typeof value !== 'string')
        throw new TemplateError(`template variable "variables.${key}" is not set (spec.analysis.metrics[].templateVariables)`);
      return value;
    }
    if (key !== undefined) throw new TemplateError(`template variable "${expression}" is not defined`);
    const value = (variables as unknown as Record<string, unknown>)[head];
    if (typeof value !== 'string' || value === '') {
      const hint = head === 'ingress' ? ' (the Canary has no spec.ingressRef)' : '';
      throw new TemplateError(`template variable "${head}" is not defined${hint}`);
    }
    return value;
  });
}

/** The variables every query may use, besides variables.<name>. */
export const TEMPLATE_VARIABLES = ['name', 'namespace', 'target', 'service', 'ingress', 'interval'] as const;

const SET_VARIABLE = /^variables\.([A-Za-z_][A-Za-z0-9_-]*)$/;

/**
 * The placeholders of a template that can never render: no known variable, or variables.<name>
 * with a name no map can own. Given the variables that will be set (an inline query and its
 * metric's templateVariables), variables.<name> must also be one of them.
 */
export function unknownPlaceholders(template: string, variablesSet?: Readonly<Record<string, string>>): string[] {
  return placeholdersOf(template).filter((expression) => {
    if ((TEMPLATE_VARIABLES as readonly string[]).includes(expression)) return false;
    const name = SET_VARIABLE.exec(expression)?.[1];
    if (name === undefined || name === '__proto__') return true;
    return variablesSet !== undefined && !Object.hasOwn(variablesSet, name);
  });
}

/** `unknown template variable "{{ x }}", "{{ y }}"`, with overlong placeholders cut short. */
export function describeUnknown(placeholders: readonly string[]): string {
  const shown = placeholders.map((name) => `"{{ ${name.length > 60 ? `${name.slice(0, 60)}…` : name} }}"`);
  return `unknown template variable ${shown.join(', ')}`;
}

/** Names of every placeholder, to validate a template before it is ever rendered. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => (match[1] as string).trim());
}
