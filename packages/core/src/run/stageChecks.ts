import { findReferences } from '../pipeline/expressions';
import type { AnswerValue, Pipeline, StageSpec } from '../pipeline/model';
import { buildCommand, expressionContext, stagesReadBy } from './command';
import type { Draft } from './draft';
import { specOf, stageOf, updateStage } from './draft';
import type { RunEventOf } from './events';
import type { RunState } from './state';

/**
 * Whether the record may skip a stage: it declares what it reads (`deps:`)
 * or writes (`outputs:`) and does not opt out with `cache: false`. Other
 * stages always run, like make's phony targets.
 */
export function isCacheable(spec: StageSpec): boolean {
  return spec.cache && (spec.deps.length > 0 || spec.outputs.length > 0);
}

// The forced stage lists of runs, as sets, so each check is one look-up.
const forcedSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Whether the run ignores the record for this stage (`--force`, `--from`). */
export function isForced(run: Pick<RunState, 'forced'>, id: string): boolean {
  const { forced } = run;
  if (forced === undefined) return false;
  if (forced === 'all') return true;
  let set = forcedSets.get(forced);
  if (set === undefined) {
    set = new Set(forced);
    forcedSets.set(forced, set);
  }
  return set.has(id);
}

// The pipeline inputs each stage's templates read, found once per declaration.
const inputsOf = new WeakMap<StageSpec, { pipeline: Pipeline; inputs: readonly string[] }>();

/** The ids of the pipeline inputs a stage's command, working directory and environment read. */
export function inputsReadBy(pipeline: Pipeline, spec: StageSpec): readonly string[] {
  const known = inputsOf.get(spec);
  if (known?.pipeline === pipeline) return known.inputs;
  const templates = [spec.run, ...Object.values(pipeline.env), ...Object.values(spec.env)];
  if (spec.cwd !== undefined) templates.push(spec.cwd);
  const inputs = new Set<string>();
  for (const template of templates) {
    for (const reference of findReferences(template).references) {
      if (reference.kind === 'input') inputs.add(reference.id);
    }
  }
  const list = [...inputs].sort();
  inputsOf.set(spec, { pipeline, inputs: list });
  return list;
}

/**
 * The output digests of the stages a stage needs or reads from, or the id
 * of one that has none (its shell reported no digest), which makes the
 * stage's fingerprint unknowable. A dependency that failed (allowed by
 * `continue_on_error`) counts as the digest `failed`.
 */
function upstreamDigests(
  draft: Draft,
  spec: StageSpec,
): { readonly digests: Record<string, string> } | { readonly unknown: string } {
  const digests: Record<string, string> = {};
  for (const id of new Set([...spec.needs, ...stagesReadBy(draft.run.pipeline, spec)])) {
    const stage = stageOf(draft, id);
    const digest = stage.status === 'failed' ? 'failed' : stage.digest;
    if (digest === undefined) return { unknown: id };
    digests[id] = digest;
  }
  return { digests };
}

/**
 * Called for a pending stage whose dependencies are done: asks the shell to
 * check it against the record (`checkStage`) when it is cacheable and not
 * yet checked. Returns whether the stage must wait for that check (it stays
 * pending) rather than become ready now.
 */
export function awaitsCheck(draft: Draft, id: string): boolean {
  const stage = stageOf(draft, id);
  if (stage.checking === true) return true;
  if (stage.fingerprint !== undefined || stage.plan !== undefined) return false;
  const spec = specOf(draft, id);
  if (!isCacheable(spec)) return false;
  const upstream = upstreamDigests(draft, spec);
  if ('unknown' in upstream) {
    const { unknown } = upstream;
    updateStage(draft, id, (s) => {
      s.plan = `runs: the outputs of ${unknown} are not known, so neither is its fingerprint`;
    });
    return false;
  }
  const { pipeline } = draft.run;
  const ctx = expressionContext(draft.inputs, draft.stages, stagesReadBy(pipeline, spec));
  const built = buildCommand(pipeline, spec, ctx);
  // A command that cannot be built fails when the stage starts, saying why.
  if (!built.ok) return false;
  const inputs: Record<string, AnswerValue> = {};
  for (const input of inputsReadBy(pipeline, spec)) {
    const value = draft.inputs[input];
    if (value !== undefined) inputs[input] = value;
  }
  updateStage(draft, id, (s) => {
    s.checking = true;
  });
  draft.effects.push({
    type: 'checkStage',
    stage: id,
    command: built.command,
    ...(built.cwd === undefined ? {} : { cwd: built.cwd }),
    env: built.env,
    inputs,
    upstream: upstream.digests,
    forced:
      isForced(draft.run, id) || (spec.unit !== undefined && isForced(draft.run, spec.unit.stage)),
  });
  return true;
}

/**
 * The shell checked a stage against the record: an up-to-date stage
 * succeeds at once with the recorded outputs, exports and digest (its
 * dependants then see exactly what they saw when it ran); any other goes on
 * to run, remembering its fingerprint so its success can be recorded.
 */
export function onStageChecked(
  draft: Draft,
  event: RunEventOf<'stageChecked'>,
): string | undefined {
  const stage = draft.stages[event.stage];
  if (stage === undefined) return `no stage '${event.stage}' in this run`;
  if (stage.status !== 'pending' || stage.checking !== true) {
    return `stage '${event.stage}' is not waiting for a check (it is ${stage.status})`;
  }
  const { reuse } = event;
  if (event.action === 'skip' && reuse === undefined) {
    return `stage '${event.stage}' cannot be skipped without a recorded success to reuse`;
  }
  updateStage(draft, event.stage, (s) => {
    delete s.checking;
    s.fingerprint = event.fingerprint;
    s.plan = event.reason;
    if (event.action === 'skip' && reuse !== undefined) {
      s.status = 'succeeded';
      s.upToDate = reuse.runId;
      s.outputs = reuse.outputs;
      if (reuse.exported !== undefined) s.exported = reuse.exported;
      s.digest = reuse.digest;
      s.endedAt = event.at;
    }
  });
  return undefined;
}
