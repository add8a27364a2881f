/**
 * Monaco renders spaces as U+00A0 and may split text across elements; this
 * turns rendered text back into what was written, for matching.
 */
export function normaliseRenderedText(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}
