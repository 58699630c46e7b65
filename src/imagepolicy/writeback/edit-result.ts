// What an editor hands back: the new text, what it changed, and what it found but could not act on.
export interface ValueChange {
  /** 1-based line of the value in the edited text. */
  line: number;
  /** The value as it was ("" for a key that was added). */
  from: string;
  to: string;
}

export interface EditResult {
  /** The edited text; the input itself when nothing needed changing. */
  text: string;
  /** Empty when every value already was what the choice says, so a second run commits nothing. */
  changes: ValueChange[];
  /** Non-fatal findings; those about a place start with its line in the text as it was given. */
  problems: string[];
}
