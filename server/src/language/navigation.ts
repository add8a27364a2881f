/**
 * Go to definition and find references for stage and input ids.
 */
import type { Location } from 'vscode-languageserver-types';
import type { PipelineDocument } from './pipelineDocument';
import { occurrenceAt, occurrencesOf } from './pipelineSymbols';

/** Where the stage or input at `offset` is declared; empty when none is there. */
export function definitionAt(document: PipelineDocument, offset: number): Location[] {
  const at = occurrenceAt(document.symbols, offset);
  if (at === undefined) return [];
  return occurrencesOf(document.symbols, at.kind, at.name)
    .filter((o) => o.declaration)
    .map((o) => ({ uri: document.uri, range: document.rangeOf(o.range) }));
}

/** Every appearance of the stage or input at `offset`, its declaration when asked. */
export function referencesAt(
  document: PipelineDocument,
  offset: number,
  includeDeclaration: boolean,
): Location[] {
  const at = occurrenceAt(document.symbols, offset);
  if (at === undefined) return [];
  return occurrencesOf(document.symbols, at.kind, at.name)
    .filter((o) => includeDeclaration || !o.declaration)
    .map((o) => ({ uri: document.uri, range: document.rangeOf(o.range) }));
}
