import type { RunStatus, StageSnapshot } from '@baton/protocol';
import {
  attemptText,
  executorConditionText,
  isUpToDateStage,
  stageStatusWord,
} from '@baton/protocol';
import { elapsed, formatClock, formatDuration } from './format';

/** A stage's progress in short: `42% epoch 3`, or undefined without any. */
export function progressText(stage: StageSnapshot): string | undefined {
  if (!stage.progress) return undefined;
  const { percent, message } = stage.progress;
  const text = [percent !== undefined ? `${Math.round(percent)}%` : '', message ?? '']
    .filter(Boolean)
    .join(' ');
  return text === '' ? undefined : text;
}

/**
 * Where a stage runs when not locally, from `StageSnapshot.where`: `on queue
 * gpu` until a worker takes it, then `on worker gpu-1 on host a100`; or what
 * holds it up instead (`queued on gpu: no worker`, `executor unreachable
 * since 14:03:07`). Only while it runs (afterwards the tooltip says where it
 * ran); undefined locally.
 */
export function whereText(stage: StageSnapshot): string | undefined {
  if (stage.status !== 'running') return undefined;
  if (stage.executorCondition !== undefined) return executorConditionText(stage.executorCondition);
  return stage.where === undefined ? undefined : `on ${stage.where}`;
}

/** Why a stage failed in one line: its reason, or its exit code. */
export function failureText(stage: StageSnapshot): string | undefined {
  if (stage.reason !== undefined) return stage.reason;
  if (stage.exitCode !== undefined) return `exit ${stage.exitCode}`;
  if (stage.signal !== undefined) return `killed by ${stage.signal}`;
  return undefined;
}

/**
 * How much longer a running stage should take, judged by how long it usually
 * takes: `about 3m left`, `under a minute left`, or `longer than usual` once
 * it has run past its usual time. Undefined without an expectation.
 */
export function timeLeftText(
  stage: Pick<StageSnapshot, 'expectedMs' | 'startedAt'>,
  now: number,
): string | undefined {
  if (stage.expectedMs === undefined || stage.startedAt === undefined) return undefined;
  const left = stage.expectedMs - (now - stage.startedAt);
  if (left <= 0) return 'longer than usual';
  if (left < 60_000) return 'under a minute left';
  return `about ${Math.round(left / 60_000)}m left`;
}

/**
 * The description of a stage row: status (unless the icon says it all),
 * attempt, where it runs (remote), progress, timing and why it failed. `runStatus` tells a stage
 * that never started in an ended run (`not started`).
 */
export function stageDescription(stage: StageSnapshot, now: number, runStatus?: RunStatus): string {
  const parts: (string | undefined)[] = [];
  // The icon says running and succeeded; an up-to-date stage says so in words.
  if (stage.status !== 'running' && (stage.status !== 'succeeded' || isUpToDateStage(stage)))
    parts.push(stageStatusWord(stage, runStatus));
  parts.push(attemptText(stage));
  parts.push(whereText(stage));
  if (stage.status === 'running') parts.push(progressText(stage));
  if (stage.status === 'retrying' && stage.retryAt !== undefined)
    parts.push(`next at ${formatClock(stage.retryAt, now)}`);
  const took = elapsed(stage.startedAt, stage.endedAt, now);
  if (stage.endedAt !== undefined && took !== undefined) parts.push(formatDuration(took));
  else if (stage.startedAt !== undefined && stage.status === 'running')
    parts.push(`since ${formatClock(stage.startedAt, now)}`);
  // Past runs tell how long the stage usually takes; the row is not redrawn
  // every second, so the time left is coarse (whole minutes).
  if (stage.status === 'running' && stage.expectedMs !== undefined) {
    parts.push(`usually ${formatDuration(stage.expectedMs)}`);
    parts.push(timeLeftText(stage, now));
  }
  if (stage.status === 'failed') parts.push(failureText(stage));
  return parts.filter((part): part is string => part !== undefined && part !== '').join(' · ');
}
