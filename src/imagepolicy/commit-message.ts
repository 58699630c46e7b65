// The write-back commit message: a template with {{policy}}, {{image}}, {{tag}}, {{digest}} and
// {{previousTag}}; unknown placeholders stay as written so a typo shows up in the commit.
export interface CommitMessageValues {
  policy: string;
  image: string;
  tag: string;
  digest?: string;
  previousTag?: string;
}

export const DEFAULT_COMMIT_MESSAGE =
  'Update {{image}} to {{tag}}\n\nImagePolicy {{policy}} picked {{tag}} ({{digest}}), was {{previousTag}}.';

export function commitMessage(template: string | undefined, values: CommitMessageValues): string {
  const filled: Record<string, string> = {
    policy: values.policy,
    image: values.image,
    tag: values.tag,
    digest: values.digest ?? 'digest unknown',
    previousTag: values.previousTag ?? 'not set before',
  };
  // Own keys only: {{constructor}} is an unknown placeholder, not Object.prototype.constructor.
  return (template ?? DEFAULT_COMMIT_MESSAGE).replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(filled, name) ? (filled[name] as string) : whole,
  );
}
