/**
 * One pipeline file as an editor holds it: its text (UTF-16 positions, LSP's
 * default encoding, which is also how JavaScript strings index), and what the
 * core reads from it, computed once per version.
 */
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import {
  isJsonPipelineFile,
  parsePipeline,
  pipelineIdFromFile,
  readSourceTree,
  type ParseResult,
  type SourceNode,
  type SourceRange,
} from '@baton/core';
import { collectSymbols, type PipelineSymbols } from './pipelineSymbols';
import { jsonKeysUnder } from './jsonKeyScan';
import { yamlKeysUnder } from './yamlKeyScan';

/** The stage and input ids of a pipeline file. */
export interface KnownIds {
  readonly stages: readonly string[];
  readonly inputs: readonly string[];
}

/** A pipeline file's text and its parsed forms. */
export class PipelineDocument {
  private parsed: ParseResult | undefined;
  private treeRead = false;
  private treeValue: SourceNode | undefined;
  private symbolsValue: PipelineSymbols | undefined;

  /**
   * @param document the text and its version.
   * @param fallbackIds the ids of the last version that parsed: while the
   *   text does not (mid-edit), they still serve completion.
   */
  constructor(
    readonly document: TextDocument,
    private readonly fallbackIds?: KnownIds,
  ) {}

  /** The document's URI. */
  get uri(): string {
    return this.document.uri;
  }

  /** The file path the core reports diagnostics for (the URI itself when it is not a file). */
  get file(): string {
    return fileOf(this.document.uri);
  }

  /** The pipeline id, as runs of this file are recorded. */
  get pipelineId(): string {
    return pipelineIdFromFile(this.file);
  }

  /** True for `.pipeline.json`. */
  get isJson(): boolean {
    return isJsonPipelineFile(this.file);
  }

  /** The whole text. */
  get text(): string {
    return this.document.getText();
  }

  /** The validator's result: every diagnostic, and the pipeline when valid. */
  get parse(): ParseResult {
    return (this.parsed ??= parsePipeline(this.text, this.file));
  }

  /** The value tree with source offsets; undefined while the text does not parse. */
  get tree(): SourceNode | undefined {
    if (!this.treeRead) {
      this.treeValue = readSourceTree(this.text, this.file);
      this.treeRead = true;
    }
    return this.treeValue;
  }

  /** Declarations and uses of stage and input ids (empty while the text does not parse). */
  get symbols(): PipelineSymbols {
    return (this.symbolsValue ??= collectSymbols(this.text, this.tree));
  }

  /** Stage and input ids: this version's, or the last version's that parsed. */
  knownIds(): KnownIds {
    if (this.tree === undefined && this.fallbackIds !== undefined) return this.fallbackIds;
    if (this.tree === undefined) {
      const keysUnder = this.isJson ? jsonKeysUnder : yamlKeysUnder;
      return { stages: keysUnder(this.text, 'stages'), inputs: keysUnder(this.text, 'inputs') };
    }
    return {
      stages: this.symbols.stages.map((s) => s.name),
      inputs: this.symbols.inputs.map((i) => i.name),
    };
  }

  /** The offset of an LSP position (clamped to the text). */
  offsetAt(position: Position): number {
    return this.document.offsetAt(position);
  }

  /** The LSP position of an offset. */
  positionAt(offset: number): Position {
    return this.document.positionAt(offset);
  }

  /** The LSP range of a source range. */
  rangeOf(range: SourceRange): Range {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }

  /** A new version after edits; see `TextDocument.update`. */
  update(changes: Parameters<typeof TextDocument.update>[1], version: number): PipelineDocument {
    const ids = this.knownIds();
    // TextDocument.update edits in place; a copy keeps this version whole for requests still reading it.
    const { uri, languageId } = this.document;
    const copy = TextDocument.create(uri, languageId, this.document.version, this.text);
    return new PipelineDocument(TextDocument.update(copy, changes, version), ids);
  }
}

/** A document from its URI and text (version 0 unless given), e.g. a file read from disk. */
export function createPipelineDocument(
  uri: string,
  text: string,
  version = 0,
  languageId = uri.endsWith('.json') ? 'json' : 'yaml',
): PipelineDocument {
  return new PipelineDocument(TextDocument.create(uri, languageId, version, text));
}

/** The path of a `file:` URI, else the URI unchanged. */
export function fileOf(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}
