import { captureGroups, compileTagRegex } from './tag-regex.ts';
import { definesGroup, parseExtractTemplate, referencedGroups, type TemplatePart } from './extract-template.ts';
import type { TagFilter } from './policy-spec.ts';

export interface CompiledTagFilter {
  ignoreTags: string[];
  allowTags?: RegExp;
  pattern?: RegExp;
  extract?: TemplatePart[];
  /** The patterns as the user wrote them, for skip reasons (the compiled source may be rewritten). */
  written: TagFilter;
}

/** Compiles the filters once per tag list; problems name the field, as the API validation reports them. */
export function compileTagFilter(filter: TagFilter): { compiled?: CompiledTagFilter; problems: string[] } {
  const problems: string[] = [];
  const compiled: CompiledTagFilter = { ignoreTags: filter.ignoreTags ?? [], written: filter };

  if (filter.allowTags != null) {
    const allow = compileTagRegex(filter.allowTags);
    if (allow.error !== undefined) problems.push(`allowTags: ${allow.error}`);
    compiled.allowTags = allow.regex;
  }

  if (filter.filterTags != null) {
    const pattern = compileTagRegex(filter.filterTags.pattern ?? '');
    if (pattern.error !== undefined) problems.push(`filterTags.pattern: ${pattern.error}`);
    compiled.pattern = pattern.regex;
    if (filter.filterTags.extract) {
      const template = parseExtractTemplate(filter.filterTags.extract);
      if (template.error !== undefined) problems.push(`filterTags.extract: ${template.error}`);
      compiled.extract = template.parts;
      // Go would silently expand an unknown group to '', making every tag's value empty; say so instead.
      if (pattern.regex && template.parts) {
        const groups = captureGroups(pattern.regex);
        for (const group of referencedGroups(template.parts)) {
          if (!definesGroup(groups, group)) {
            problems.push(`filterTags.extract: refers to group "${group}" which the pattern does not define`);
          }
        }
      }
    }
  }

  return problems.length > 0 ? { problems } : { compiled, problems };
}
