// A YAML file read for editing: the documents with their source ranges, and the plain data the
// verification compares before and after the edit.
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { WriteBackError } from './write-back-error.ts';

export interface ParsedYaml {
  text: string;
  documents: Document.Parsed[];
  /** toJS() of each document, in order. */
  data: unknown[];
  /** Every warning, as "line L: message": an edit must not add one. */
  warnings: string[];
  lines: LineCounter;
}

/** Throws a WriteBackError when the text has YAML errors: a file Wren cannot read is not edited. */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const documents = Array.from(parseAllDocuments(text, { lineCounter: lines, prettyErrors: false }));
  const at = (offset: number) => `line ${lines.linePos(offset).line}`;
  for (const document of documents) {
    const error = document.errors[0];
    if (error) throw new WriteBackError(`invalid YAML at ${at(error.pos[0])}: ${error.message}`);
  }
  let data: unknown[];
  try {
    data = documents.map((document) => document.toJS({ maxAliasCount: 100 }));
  } catch (error) {
    // An alias bomb, or an alias to an anchor that is not there.
    throw new WriteBackError(`unreadable YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    text,
    documents,
    data,
    warnings: documents.flatMap((document) => document.warnings.map((warning) => `${at(warning.pos[0])}: ${warning.message}`)),
    lines,
  };
}

/** 1-based line of an offset in the parsed text. */
export function lineOf(parsed: ParsedYaml, offset: number): number {
  return parsed.lines.linePos(offset).line;
}
