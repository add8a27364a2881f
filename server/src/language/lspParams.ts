/**
 * Readers of the LSP params the language features take. LSP clients send
 * well-formed params, but a wrong one gets -32602 naming the field, never a crash.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import { invalidParams } from '../rpc/rpcErrors';
import { isPlainObject } from '../rpc/paramReader';

/** `{ textDocument: { uri } }`: the document's URI. */
export function readUri(params: unknown): string {
  const document = field(params, 'textDocument', '');
  const uri = isPlainObject(document) ? document.uri : undefined;
  if (typeof uri !== 'string' || uri === '')
    throw invalidParams('textDocument.uri', 'expected a URI string');
  return uri;
}

/** `{ position }`. */
export function readPosition(params: unknown, name = 'position'): Position {
  const value = field(params, name, '');
  const line = isPlainObject(value) ? value.line : undefined;
  const character = isPlainObject(value) ? value.character : undefined;
  if (!isCount(line) || !isCount(character))
    throw invalidParams(name, 'expected { line, character } of non-negative integers');
  return { line, character };
}

/** `{ range }`. */
export function readRange(params: unknown): Range {
  const range = field(params, 'range', '');
  return { start: readPosition(range, 'start'), end: readPosition(range, 'end') };
}

/** A required string field. */
export function readString(params: unknown, name: string): string {
  const value = field(params, name, '');
  if (typeof value !== 'string') throw invalidParams(name, 'expected a string');
  return value;
}

/** A required integer field (a document version). */
export function readInteger(params: unknown, name: string): number {
  const value = field(params, name, '');
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw invalidParams(name, 'expected an integer');
  return value;
}

/** A field of an object, or undefined; params that are not an object fail. */
export function field(params: unknown, name: string, path: string): unknown {
  if (!isPlainObject(params)) throw invalidParams(path, 'expected an object');
  return params[name];
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
