/**
 * Renaming a stage or input id everywhere in its file: the key, `needs`
 * items and expressions. That is everywhere there is: a pipeline file cannot
 * include or reference another file's stages or inputs, so ids are
 * file-scoped and a rename never needs edits in other files.
 */
import type { Range, WorkspaceEdit } from 'vscode-languageserver-types';
import { isValidId } from '@baton/core';
import type { PipelineDocument } from './pipelineDocument';
import { occurrenceAt, occurrencesOf } from './pipelineSymbols';

/** What a rename asks about first: the range of the name and the name. */
export interface RenameTarget {
  readonly range: Range;
  readonly placeholder: string;
}

/** The name at `offset` that can be renamed, or undefined when there is none. */
export function prepareRenameAt(
  document: PipelineDocument,
  offset: number,
): RenameTarget | undefined {
  const at = occurrenceAt(document.symbols, offset);
  if (at === undefined) return undefined;
  return { range: document.rangeOf(at.range), placeholder: at.name };
}

/**
 * The edits renaming the stage or input at `offset` to `newName`, or a
 * sentence saying why it cannot be renamed.
 */
export function renameAt(
  document: PipelineDocument,
  offset: number,
  newName: string,
): WorkspaceEdit | { readonly refused: string } {
  const at = occurrenceAt(document.symbols, offset);
  if (at === undefined) return { refused: 'There is no stage or input id here to rename.' };
  if (!isValidId(newName)) {
    return {
      refused: `"${newName}" is not a valid ${at.kind} id: use a letter or _ first, then letters, digits, _ or -.`,
    };
  }
  const declared = at.kind === 'stage' ? document.symbols.stages : document.symbols.inputs;
  if (newName !== at.name && declared.some((d) => d.name === newName)) {
    return { refused: `There is already a ${at.kind} "${newName}" in this file.` };
  }
  const edits = occurrencesOf(document.symbols, at.kind, at.name).map((o) => ({
    range: document.rangeOf(o.range),
    newText: newName,
  }));
  return { changes: { [document.uri]: edits } };
}
