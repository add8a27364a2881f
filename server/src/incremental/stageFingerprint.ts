import type { AnswerValue, Effect, FingerprintParts, StageSpec } from '@baton/core';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { stageVenv } from '../engine/attempt/stageVenv';
import { matchFiles } from './depsFiles';
import type { FileHasher } from './fileHasher';
import { RecordStore } from './recordStore';

/** The effect that asks for a stage's fingerprint. */
export type CheckEffect = Extract<Effect, { type: 'checkStage' }>;

/** A unit's fingerprint, the parts it was made from, and its resolved working directory. */
export interface Fingerprint {
  readonly fingerprint: string;
  readonly parts: FingerprintParts;
  readonly cwd: string;
}

/** What computing a fingerprint needs besides the effect. */
export interface FingerprintSources {
  readonly spec: StageSpec;
  /** The pipeline file's folder, which a stage's `cwd` is relative to. */
  readonly pipelineDir: string;
  readonly hasher: FileHasher;
  /** The record's key for the keyed hash of values (see `RecordStore.hashKey`). */
  readonly key: Buffer;
}

/** Variables Baton sets itself carry inputs and stage outputs, which `inputs`/`upstream` already cover. */
const CARRIER_PREFIX = 'BATON_';

function answerText(value: AnswerValue): string {
  return JSON.stringify(value);
}

/** The keys of a record in sorted order, so the fingerprint does not depend on insertion order. */
function sorted<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}

/**
 * A stage's fingerprint: a SHA-256 over the hashed parts (see
 * `FingerprintParts`). Values (command, env, inputs) enter through a keyed
 * hash, so neither the record nor anything shown holds a hash from which a
 * secret could be guessed; files enter through their content hash. Baton's
 * own process environment is not part of it, as it is not of make's.
 */
export async function fingerprintStage(
  effect: CheckEffect,
  sources: FingerprintSources,
): Promise<Fingerprint> {
  const { spec, key, hasher } = sources;
  const keyed = (value: string): string => RecordStore.keyedHash(key, value);
  const cwd = path.resolve(sources.pipelineDir, effect.cwd ?? '.');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(effect.env)) {
    if (!name.startsWith(CARRIER_PREFIX)) env[name] = keyed(value);
  }
  const inputs: Record<string, string> = {};
  for (const [id, value] of Object.entries(effect.inputs)) inputs[id] = keyed(answerText(value));
  const deps: Record<string, string> = {};
  for (const file of await matchFiles(spec.deps, cwd, hasher.listings)) {
    deps[file] = hasher.hash(path.join(cwd, file))?.hash ?? 'missing';
  }
  const venv = stageVenv(spec, sources.pipelineDir);
  const venvConfig = venv === undefined ? undefined : hasher.hash(path.join(venv, 'pyvenv.cfg'));
  const parts: FingerprintParts = {
    command: keyed(effect.command),
    cwd: keyed(cwd),
    env: sorted(env),
    inputs: sorted(inputs),
    upstream: sorted(effect.upstream),
    deps: sorted(deps),
    ...(venv === undefined ? {} : { venv: keyed(`${venv}\n${venvConfig?.hash ?? 'missing'}`) }),
  };
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([spec.id, spec.outputs, parts]))
    .digest('hex');
  return { fingerprint, parts, cwd };
}
