/**
 * Key documentation, types and allowed values, read from the pipeline JSON
 * Schema (`pipelineJsonSchema`, the one source of editor help text), so
 * completion and hover never repeat its prose.
 */
import { DURATION_PATTERN, pipelineJsonSchema } from '@baton/core';

/** A schema node, as far as these helpers read it. */
export interface SchemaNode {
  readonly description?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly $ref?: string;
}

const ROOT = pipelineJsonSchema as unknown as SchemaNode & {
  readonly definitions: Readonly<Record<string, SchemaNode>>;
};

/** What the schema says about one key. */
export interface KeyDoc {
  readonly key: string;
  readonly description: string;
  /** A short type, e.g. `string`, `integer (1–1000)`, `duration`, `"skip" | "queue"`. */
  readonly type: string;
  /** True when the value is a mapping (so a key: value pair gets a new line). */
  readonly isMapping: boolean;
}

/**
 * The schema of the value at `path` (keys from the top; stage and input ids
 * are keys like any other), following `$ref`s; undefined past the schema.
 */
export function schemaAt(path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = ROOT;
  for (const key of path) {
    const resolved: SchemaNode | undefined = node === undefined ? undefined : resolve(node);
    if (resolved === undefined) return undefined;
    node = childOf(resolved, key);
  }
  return node;
}

/** The keys a mapping at `path` accepts, with their documentation; empty when ids go there. */
export function keysAt(path: readonly string[]): KeyDoc[] {
  const node = schemaAt(path);
  const properties = node === undefined ? undefined : resolve(node)?.properties;
  return Object.entries(properties ?? {}).map(([key, schema]) => keyDoc(key, schema));
}

/** The documentation of the key at the end of `path`. */
export function keyDocAt(path: readonly string[]): KeyDoc | undefined {
  const key = path.at(-1);
  const schema = schemaAt(path);
  return key === undefined || schema === undefined ? undefined : keyDoc(key, schema);
}

/** The values a scalar at `path` may take when they are few: enums and booleans. */
export function valuesAt(path: readonly string[]): string[] {
  const schema = schemaAt(path);
  if (schema === undefined) return [];
  const variants = [schema, ...(resolve(schema)?.anyOf ?? []), resolve(schema) ?? schema];
  const values = new Set<string>();
  for (const variant of variants) {
    for (const value of variant.enum ?? []) values.add(String(value));
    if (variant.const !== undefined) values.add(String(variant.const));
    if (typesOf(variant).includes('boolean')) ['true', 'false'].forEach((v) => values.add(v));
  }
  return [...values];
}

function keyDoc(key: string, schema: SchemaNode): KeyDoc {
  const resolved = resolve(schema) ?? schema;
  const description = schema.description ?? resolved.description ?? '';
  return { key, description, type: typeText(schema), isMapping: typeText(schema) === 'mapping' };
}

/** Follows `$ref`; for `anyOf`, the mapping branch when there is one (where keys live). */
function resolve(node: SchemaNode): SchemaNode | undefined {
  const target = node.$ref === undefined ? node : definition(node.$ref);
  if (target?.anyOf === undefined) return target;
  const branches = target.anyOf.map((branch) => resolve(branch) ?? branch);
  const mapping = branches.find((b) => b.properties !== undefined);
  return mapping === undefined ? target : { ...mapping, description: target.description ?? '' };
}

function definition(ref: string): SchemaNode | undefined {
  const name = ref.replace('#/definitions/', '');
  return Object.hasOwn(ROOT.definitions, name) ? ROOT.definitions[name] : undefined;
}

function childOf(node: SchemaNode, key: string): SchemaNode | undefined {
  if (node.properties !== undefined && Object.hasOwn(node.properties, key))
    return node.properties[key];
  if (typeof node.additionalProperties === 'object') return node.additionalProperties;
  // Sequence items share one schema, whatever their index.
  if (/^\d+$/.test(key) && node.items !== undefined) return node.items;
  return undefined;
}

function typesOf(node: SchemaNode): string[] {
  return node.type === undefined
    ? []
    : typeof node.type === 'string'
      ? [node.type]
      : [...node.type];
}

/** A short type text for hover and completion details. */
function typeText(schema: SchemaNode): string {
  const node = schema.$ref === undefined ? schema : (definition(schema.$ref) ?? schema);
  if (node.enum !== undefined) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (node.anyOf !== undefined) return node.anyOf.map(typeText).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.pattern === DURATION_PATTERN) return 'duration';
  const types = typesOf(node).map((t) => (t === 'object' ? 'mapping' : t === 'array' ? 'list' : t));
  const type = types.length === 0 ? (node.properties ? 'mapping' : 'any') : types.join(' | ');
  if (type === 'list' && node.items !== undefined) return `list of ${typeText(node.items)}`;
  if (node.minimum !== undefined && node.maximum !== undefined)
    return `${type} (${node.minimum}–${node.maximum})`;
  return type;
}
