/**
 * The pipeline files an editor has open, kept in step with its
 * `textDocument/didOpen`, `didChange` (full or incremental) and `didClose`.
 * Files that are not pipeline files are not kept.
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { isPipelineFile } from '@baton/core';
import { invalidParams } from '../rpc/rpcErrors';
import { isPlainObject } from '../rpc/paramReader';
import { readPosition, readInteger, readString, readUri, field } from './lspParams';
import { createPipelineDocument, fileOf, type PipelineDocument } from './pipelineDocument';

/** The open pipeline documents, by URI. */
export class OpenDocuments {
  private readonly documents = new Map<string, PipelineDocument>();

  /** The open document at `uri`. */
  get(uri: string): PipelineDocument | undefined {
    return this.documents.get(uri);
  }

  /** Every open document. */
  all(): PipelineDocument[] {
    return [...this.documents.values()];
  }

  /** The open document of a file path, whatever the URI spelling. */
  byFile(file: string): PipelineDocument | undefined {
    return this.all().find((document) => document.file === file);
  }

  /** Applies `didOpen`; the opened document, or undefined when it is not a pipeline file. */
  open(params: unknown): PipelineDocument | undefined {
    const item = field(params, 'textDocument', '');
    const uri = readUri(params);
    if (!isPipelineFile(fileOf(uri))) return undefined;
    const text = readString(item, 'text');
    const version = readInteger(item, 'version');
    const languageId = readString(item, 'languageId');
    const document = createPipelineDocument(uri, text, version, languageId);
    this.documents.set(uri, document);
    return document;
  }

  /** Applies `didChange`; the new version, or undefined for a document not open here. */
  change(params: unknown): PipelineDocument | undefined {
    const uri = readUri(params);
    const current = this.documents.get(uri);
    if (current === undefined) return undefined;
    const version = readInteger(field(params, 'textDocument', ''), 'version');
    const next = current.update(readChanges(params), version);
    this.documents.set(uri, next);
    return next;
  }

  /** Applies `didClose`; the URI it closed, or undefined for a document not open here. */
  close(params: unknown): string | undefined {
    const uri = readUri(params);
    return this.documents.delete(uri) ? uri : undefined;
  }
}

function readChanges(params: unknown): TextDocumentContentChangeEvent[] {
  const changes = field(params, 'contentChanges', '');
  if (!Array.isArray(changes)) throw invalidParams('contentChanges', 'expected an array');
  return changes.map((change: unknown, index) => {
    if (!isPlainObject(change) || typeof change.text !== 'string')
      throw invalidParams(`contentChanges[${index}].text`, 'expected a string');
    if (change.range === undefined) return { text: change.text };
    const range = {
      start: readPosition(change.range, 'start'),
      end: readPosition(change.range, 'end'),
    };
    return { range, text: change.text };
  });
}
