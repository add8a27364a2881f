import type {
  RunTimeline,
  TimelineAttempt,
  TimelinePhaseKind,
  TimelineUnit,
} from '@baton/protocol';
import { formatDuration } from './format';
import { timeLeftText } from './stageText';

/** A phase of a bar, in ms from the timeline's start. */
export interface BarPhase {
  readonly kind: TimelinePhaseKind;
  readonly from: number;
  readonly to: number;
}

/** One attempt drawn as a bar. */
export interface TimelineBar {
  /** `attempt:<run>/<stage>/<n>`: what the arrow keys move between. */
  readonly key: string;
  readonly stage: string;
  readonly attempt: number;
  readonly phases: readonly BarPhase[];
  /** The end colour: how it ended, or `going` while it goes on. */
  readonly end: 'succeeded' | 'failed' | 'cancelled' | 'interrupted' | 'going';
  /** The faint extension to where the attempt should end by its usual time, while it runs. */
  readonly expectedTo?: number;
  /** What a screen reader and the tooltip say. */
  readonly label: string;
}

/** A row: a stage, a fanned-out stage's group (its units folded under it) or one unit. */
export interface TimelineRow {
  /** `stage:<run>/<stage>`, as in the Runs tree. */
  readonly key: string;
  readonly kind: 'stage' | 'group' | 'unit';
  readonly stage: string;
  readonly label: string;
  /** Status word, counts or "usually 3m · about 1m left". */
  readonly detail: string;
  readonly bars: readonly TimelineBar[];
  /** For a group: whether its units are shown. */
  readonly expanded?: boolean;
}

/** A tick of the time axis. */
export interface TimelineTick {
  /** ms from the timeline's start. */
  readonly at: number;
  readonly label: string;
}

/** Everything the timeline webview draws: plain data, posted as JSON. */
export interface TimelineView {
  readonly title: string;
  readonly runId: string;
  /** Epoch ms the axis starts at. */
  readonly start: number;
  /** The axis length in ms (at least one second). */
  readonly span: number;
  /** ms from the start where the now-line is drawn, while the run goes on. */
  readonly now?: number;
  readonly ticks: readonly TimelineTick[];
  readonly rows: readonly TimelineRow[];
}

const TICK_STEPS = [
  1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Ticks at a round step, about `count` of them over `span` ms: `0s`, `30s`, `1m 00s`. */
export function timeTicks(span: number, count = 8): TimelineTick[] {
  const step = TICK_STEPS.find((s) => span / s <= count) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
  const ticks: TimelineTick[] = [];
  for (let at = 0; at <= span; at += step)
    ticks.push({ at, label: at === 0 ? '0s' : formatDuration(at) });
  return ticks;
}

/**
 * Lays a run's timeline out: one row per stage in the run's order, a
 * fanned-out stage as one group row with its units' counts (its units follow
 * it when it is in `expanded`), every attempt a bar of its phases. Open
 * phases run to `now`; the axis spans the run (or to `now` while it goes on,
 * and to the end a running stage is expected to reach).
 */
export function timelineLayout(
  timeline: RunTimeline,
  title: string,
  now: number,
  expanded: ReadonlySet<string>,
): TimelineView {
  const live = timeline.endedAt === undefined;
  const start = timeline.startedAt ?? firstStart(timeline) ?? now;
  const until = live ? now : (timeline.endedAt ?? now);
  const groups = groupUnits(timeline.units);
  const rows: TimelineRow[] = [];
  let latest = until;
  const place = (unit: TimelineUnit, kind: TimelineRow['kind']): TimelineRow => {
    const row = unitRow(timeline.runId, unit, kind, start, until, now);
    for (const bar of row.bars) latest = Math.max(latest, start + (bar.expectedTo ?? 0));
    return row;
  };
  for (const unit of timeline.units) {
    if (unit.unitOf !== undefined) continue;
    const units = groups.get(unit.stage);
    if (units === undefined) {
      rows.push(place(unit, 'stage'));
      continue;
    }
    const open = expanded.has(unit.stage);
    rows.push(groupRow(timeline.runId, unit, units, open, start, until));
    if (open) for (const member of units) rows.push(place(member, 'unit'));
  }
  const span = Math.max(1000, latest - start);
  return {
    title,
    runId: timeline.runId,
    start,
    span,
    ...(live ? { now: now - start } : {}),
    ticks: timeTicks(span),
    rows,
  };
}

function firstStart(timeline: RunTimeline): number | undefined {
  let first: number | undefined;
  for (const unit of timeline.units)
    for (const attempt of unit.attempts) {
      const at = attempt.phases[0]?.start;
      if (at !== undefined && (first === undefined || at < first)) first = at;
    }
  return first;
}

/** The units of each fanned-out stage, by that stage's id. */
function groupUnits(units: readonly TimelineUnit[]): Map<string, TimelineUnit[]> {
  const groups = new Map<string, TimelineUnit[]>();
  for (const unit of units) {
    if (unit.unitOf === undefined) continue;
    const members = groups.get(unit.unitOf) ?? [];
    members.push(unit);
    groups.set(unit.unitOf, members);
  }
  return groups;
}

function unitRow(
  runId: string,
  unit: TimelineUnit,
  kind: TimelineRow['kind'],
  start: number,
  until: number,
  now: number,
): TimelineRow {
  const bars = unit.attempts.map((attempt) => attemptBar(runId, unit, attempt, start, until));
  return {
    key: `stage:${runId}/${unit.stage}`,
    kind,
    stage: unit.stage,
    label: kind === 'unit' ? unitItem(unit) : unit.stage,
    detail: unitDetail(unit, now),
    bars,
  };
}

/** The item of a unit `<stage>[<item>]`, as its row's label. */
function unitItem(unit: TimelineUnit): string {
  const prefix = `${unit.unitOf ?? ''}[`;
  return unit.stage.startsWith(prefix) && unit.stage.endsWith(']')
    ? unit.stage.slice(prefix.length, -1)
    : unit.stage;
}

function attemptBar(
  runId: string,
  unit: TimelineUnit,
  attempt: TimelineAttempt,
  start: number,
  until: number,
): TimelineBar {
  const phases = attempt.phases.map((phase) => ({
    kind: phase.kind,
    from: phase.start - start,
    to: (phase.end ?? until) - start,
  }));
  const running = attempt.phases.find(
    (phase) => phase.kind !== 'queued' && phase.kind !== 'backoff',
  );
  const expectedTo =
    attempt.ended === undefined && running !== undefined && unit.expectedMs !== undefined
      ? running.start + unit.expectedMs - start
      : undefined;
  const end = attempt.ended ?? 'going';
  const took = phases.length > 0 ? phases[phases.length - 1]!.to - phases[0]!.from : 0;
  const parts = phases.map(
    (phase) => `${phaseWord(phase.kind)} ${formatDuration(phase.to - phase.from)}`,
  );
  return {
    key: `attempt:${runId}/${unit.stage}/${attempt.attempt}`,
    stage: unit.stage,
    attempt: attempt.attempt,
    phases,
    end,
    ...(expectedTo !== undefined && expectedTo > phases[phases.length - 1]!.to
      ? { expectedTo }
      : {}),
    label: `${unit.stage} attempt ${attempt.attempt}: ${end === 'going' ? 'going on' : end}, ${formatDuration(took)} (${parts.join(', ')})`,
  };
}

/** How a phase is called in labels and the legend. */
export function phaseWord(kind: TimelinePhaseKind): string {
  switch (kind) {
    case 'queued':
      return 'queued';
    case 'backoff':
      return 'retry backoff';
    case 'pool':
      return 'waiting for a pool slot';
    case 'input':
      return 'waiting for input';
    case 'running':
      return 'running';
  }
}

/** A row's detail: "usually 3m · about 1m left" while it runs, else its status and time. */
function unitDetail(unit: TimelineUnit, now: number): string {
  const last = unit.attempts[unit.attempts.length - 1];
  if (unit.upToDate === true) return 'up to date';
  if (last === undefined) return unit.status;
  const running = last.phases.find((phase) => phase.kind !== 'queued' && phase.kind !== 'backoff');
  if (last.ended === undefined && running !== undefined && unit.expectedMs !== undefined) {
    const left = timeLeftText({ expectedMs: unit.expectedMs, startedAt: running.start }, now);
    return `usually ${formatDuration(unit.expectedMs)} · ${left ?? ''}`;
  }
  const first = last.phases[0];
  const final = last.phases[last.phases.length - 1];
  const took =
    first && final?.end !== undefined ? ` · ${formatDuration(final.end - first.start)}` : '';
  const tries = unit.attempts.length > 1 ? ` · ${unit.attempts.length} attempts` : '';
  return `${unit.status}${tries}${took}`;
}

/** A fanned-out stage's row: its units counted by status, one bar from the first to the last. */
function groupRow(
  runId: string,
  stage: TimelineUnit,
  units: readonly TimelineUnit[],
  expanded: boolean,
  start: number,
  until: number,
): TimelineRow {
  const counts = new Map<string, number>();
  let from: number | undefined;
  let to: number | undefined;
  let going = false;
  let failed = false;
  for (const unit of units) {
    counts.set(unit.status, (counts.get(unit.status) ?? 0) + 1);
    for (const attempt of unit.attempts) {
      const first = attempt.phases[0];
      const last = attempt.phases[attempt.phases.length - 1];
      if (first === undefined || last === undefined) continue;
      from = Math.min(from ?? first.start, first.start);
      to = Math.max(to ?? 0, last.end ?? until);
      going ||= attempt.ended === undefined;
      failed ||= attempt.ended === 'failed';
    }
  }
  const countText = [...counts].map(([status, n]) => `${n} ${status}`).join(' · ');
  const bars: TimelineBar[] =
    from === undefined || to === undefined
      ? []
      : [
          {
            key: `attempt:${runId}/${stage.stage}/all`,
            stage: stage.stage,
            attempt: 0,
            phases: [{ kind: 'running', from: from - start, to: to - start }],
            end: going ? 'going' : failed ? 'failed' : 'succeeded',
            label: `${stage.stage}: ${units.length} items, ${countText}`,
          },
        ];
  return {
    key: `stage:${runId}/${stage.stage}`,
    kind: 'group',
    stage: stage.stage,
    label: stage.stage,
    detail: `${units.length} items · ${countText}`,
    bars,
    expanded,
  };
}
