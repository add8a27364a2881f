import {
  findReferences,
  ITEM_ENV,
  matrixEnvName,
  substituteCommand,
  substituteText,
} from '../pipeline/expressions';
import type { ExpressionContext } from '../pipeline/expressions';
import type { Pipeline, StageSpec } from '../pipeline/model';
import type { RunState } from './state';

/** A stage's command line, ready for `spawnStage`, or why it cannot be built. */
export type BuiltCommand =
  | {
      readonly ok: true;
      readonly command: string;
      readonly cwd?: string;
      readonly env: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly errors: readonly string[] };

// The stages whose outputs each stage's templates read, found once per declaration.
const readsOf = new WeakMap<StageSpec, { pipeline: Pipeline; stages: readonly string[] }>();

/**
 * The ids of the stages whose outputs a stage's command, working directory
 * and environment (its own and the pipeline's) refer to, each once.
 */
export function stagesReadBy(pipeline: Pipeline, spec: StageSpec): readonly string[] {
  const known = readsOf.get(spec);
  if (known?.pipeline === pipeline) return known.stages;
  const templates = [spec.run, ...Object.values(pipeline.env), ...Object.values(spec.env)];
  if (spec.cwd !== undefined) templates.push(spec.cwd);
  const stages = new Set<string>();
  for (const template of templates) {
    for (const reference of findReferences(template).references) {
      if (reference.kind === 'stageOutput') stages.add(reference.stage);
    }
  }
  const list = [...stages];
  readsOf.set(spec, { pipeline, stages: list });
  return list;
}

/**
 * What `${{ … }}` can read in a run: the inputs and the outputs of the stages
 * `readable` names (those the command refers to; see `stagesReadBy`). The
 * outputs table is built on first read, and only of those stages, since a
 * large run would pay for a table of every stage at every start.
 */
export function expressionContext(
  inputs: RunState['inputs'],
  stages: RunState['stages'],
  readable: readonly string[],
): ExpressionContext {
  let stageOutputs: Record<string, Readonly<Record<string, string>>> | undefined;
  return {
    inputs,
    get stageOutputs() {
      if (stageOutputs === undefined) {
        stageOutputs = {};
        for (const id of readable) {
          const stage = Object.hasOwn(stages, id) ? stages[id] : undefined;
          if (stage !== undefined) stageOutputs[id] = stage.outputs;
        }
      }
      return stageOutputs;
    },
  };
}

/** The context of a unit of a fanned-out stage: the stage's, plus its item and matrix values. */
function withUnit(ctx: ExpressionContext, spec: StageSpec): ExpressionContext {
  const unit = spec.unit;
  if (unit === undefined) return ctx;
  return {
    inputs: ctx.inputs,
    get stageOutputs() {
      return ctx.stageOutputs;
    },
    item: unit.item,
    // Stryker disable next-line ConditionalExpression: a context whose matrix is undefined reads like one without it (expressions check `matrix !== undefined`).
    ...(unit.matrix === undefined ? {} : { matrix: unit.matrix }),
  };
}

/** `BATON_ITEM`, `BATON_ITEM_INDEX` and `BATON_MATRIX_<KEY>` of a unit; nothing for a plain stage. */
function unitEnv(spec: StageSpec): Record<string, string> {
  const unit = spec.unit;
  if (unit === undefined) return {};
  const env: Record<string, string> = {
    [ITEM_ENV]: unit.item,
    BATON_ITEM_INDEX: String(unit.index),
  };
  for (const [key, value] of Object.entries(unit.matrix ?? {})) env[matrixEnvName(key)] = value;
  return env;
}

/**
 * Substitutes a stage's command, working directory and environment values.
 * The environment is the pipeline's, overridden by the stage's, overridden by
 * the variables that carry substituted values (so a stage cannot shadow them).
 */
export function buildCommand(
  pipeline: Pipeline,
  spec: StageSpec,
  stageCtx: ExpressionContext,
): BuiltCommand {
  const errors: string[] = [];
  const ctx = withUnit(stageCtx, spec);
  const env: Record<string, string> = unitEnv(spec);
  for (const [name, template] of Object.entries({ ...pipeline.env, ...spec.env })) {
    const value = substituteText(template, ctx);
    errors.push(...value.errors.map((e) => `env ${name}: ${e}`));
    env[name] = value.text;
  }
  const run = substituteCommand(spec.run, ctx);
  errors.push(...run.errors.map((e) => `run: ${e}`));
  Object.assign(env, run.env, unitEnv(spec));
  let cwd: string | undefined;
  if (spec.cwd !== undefined) {
    const dir = substituteText(spec.cwd, ctx);
    errors.push(...dir.errors.map((e) => `cwd: ${e}`));
    cwd = dir.text;
  }
  if (errors.length > 0) return { ok: false, errors };
  return cwd === undefined
    ? { ok: true, command: run.command, env }
    : { ok: true, command: run.command, cwd, env };
}
