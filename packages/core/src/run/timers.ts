import type { StageSpec } from '../pipeline/model';
import type { Timer } from './events';

/**
 * A stable string key for a timer, so the shell can keep one handle per timer
 * and cancel it: `stageTimeout:<stage>:<attempt>`, `promptDeadline:<prompt>`, ….
 */
export function timerKey(timer: Timer): string {
  switch (timer.kind) {
    case 'stageTimeout':
    case 'idleCheck':
    case 'retryDue':
      return `${timer.kind}:${timer.stage}:${timer.attempt}`;
    case 'promptDeadline':
      return `${timer.kind}:${timer.promptId}`;
    default: {
      const never: never = timer;
      throw new Error(`unknown timer ${JSON.stringify(never)}`);
    }
  }
}

/** The timers a live attempt of this stage has running (wall clock and idle check). */
export function attemptTimers(spec: StageSpec, attempt: number): Timer[] {
  const timers: Timer[] = [];
  if (spec.timeoutMs !== undefined) timers.push({ kind: 'stageTimeout', stage: spec.id, attempt });
  if (spec.idleTimeoutMs !== undefined) timers.push({ kind: 'idleCheck', stage: spec.id, attempt });
  return timers;
}
