import { summarizeItems } from './itemCounts';
import type { RunState, StageState } from '@baton/core';
import { attemptText, executorConditionText } from '@baton/protocol';
import type { EngineEvents } from '../engine/engineEvents';
import { colorRunStatus, formatDuration, progressBar, stageIcon, truncate } from './terminalFormat';
import type { Terminal } from './terminal';

const FRAME_MS = 100;
const BAR_WIDTH = 20;
const HIDE_CURSOR = '\x1b[?25l';
/** Log lines Baton writes for commands: the stage's own last line says more. */
const BOOKKEEPING_LINE = /^\[(progress|prompt|group|endgroup|debug|baton)\b/;
const SHOW_CURSOR = '\x1b[?25h';

/**
 * The terminal's live view of a run: a region at the bottom redrawn at most
 * ten times a second, one line per stage with its icon, progress bar,
 * percent, elapsed time and latest message. Lines printed "above" (notes,
 * annotations) scroll normally. `pause` clears the region while a prompt is asked.
 */
export class LiveView {
  private state: RunState | undefined;
  private readonly lastLine = new Map<string, string>();
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private readonly heldNotes: string[] = [];
  private frame = 0;

  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts redrawing. */
  start(): void {
    this.terminal.write(HIDE_CURSOR);
    this.draw();
    this.timer = setInterval(() => this.draw(), FRAME_MS);
  }

  /** Stops redrawing, leaving the last frame on screen. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.paused = false;
    for (const text of this.heldNotes.splice(0)) this.terminal.line(text);
    this.draw();
    this.drawnLines = 0;
    this.terminal.write(SHOW_CURSOR);
  }

  /** Clears the region and stops drawing until `resume` (a prompt takes the screen). */
  pause(): void {
    this.clear();
    this.paused = true;
    this.terminal.write(SHOW_CURSOR);
  }

  resume(): void {
    this.paused = false;
    this.terminal.write(HIDE_CURSOR);
    for (const text of this.heldNotes.splice(0)) this.terminal.line(text);
    this.draw();
  }

  /** Prints a permanent line above the live region (held while a prompt has the screen). */
  note(text: string): void {
    if (this.paused) {
      this.heldNotes.push(text);
      return;
    }
    this.clear();
    this.terminal.line(text);
    this.draw();
  }

  onRunChanged(payload: EngineEvents['runChanged']): void {
    this.state = payload.state;
  }

  onLog(payload: EngineEvents['log']): void {
    // Carriage returns and escape sequences would break the redrawn region: keep plain text.
    const lines = payload.text
      .split(/[\r\n]+/)
      .map((line) => stripControls(line).trim())
      .filter((line) => line !== '' && !BOOKKEEPING_LINE.test(line));
    const last = lines.at(-1);
    if (last !== undefined) this.lastLine.set(payload.stage, last);
  }

  private clear(): void {
    if (this.drawnLines > 0) {
      this.terminal.write(`\x1b[${this.drawnLines}A\x1b[0J`);
      this.drawnLines = 0;
    }
  }

  private draw(): void {
    if (this.paused || !this.state) return;
    this.frame += 1;
    const lines = this.render(this.state);
    this.clear();
    this.terminal.write(`${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  private render(state: RunState): string[] {
    const { colors } = this.terminal;
    const width = this.terminal.columns;
    const elapsed =
      state.startedAt === undefined ? 0 : (state.endedAt ?? this.now()) - state.startedAt;
    const header = `${colors.bold(state.pipeline.name)} ${colors.dim(state.runId)} ${colorRunStatus(state.status, colors)} ${colors.dim(formatDuration(elapsed))}`;
    // One line per declared stage: a fanned-out stage's units are its counts, not lines.
    const specs = state.pipeline.stages.filter((spec) => spec.unit === undefined);
    const nameWidth = Math.min(24, Math.max(...specs.map((s) => s.id.length), 4));
    const stages = specs.flatMap((spec) => state.stages[spec.id] ?? []);
    const room = Math.max(1, this.terminal.rows - 2);
    const shown = stages.length <= room ? stages : mostInteresting(stages, room - 1);
    const perGo = new Map(specs.map((spec) => [spec.id, spec.retry.attempts]));
    const rows = shown.map((stage) =>
      this.renderStage(stage, perGo.get(stage.id) ?? 1, nameWidth, width),
    );
    if (shown.length < stages.length) rows.push(colors.dim(hiddenSummary(stages, shown)));
    return [header, ...rows];
  }

  private renderStage(
    stage: StageState,
    attemptsPerGo: number,
    nameWidth: number,
    width: number,
  ): string {
    const { colors } = this.terminal;
    const items = stage.items === undefined ? undefined : summarizeItems(stage.items);
    const fanning = items !== undefined && stage.status === 'pending';
    const icon = stageIcon(fanning && items.live ? 'running' : stage.status, colors, this.frame);
    const name = stage.id.padEnd(nameWidth);
    const live =
      stage.status === 'running' || stage.status === 'waiting' || (fanning && items.live);
    const percent =
      stage.status === 'succeeded' ? 100 : (items?.percent ?? stage.progress?.percent);
    const bar = percent === undefined ? ' '.repeat(BAR_WIDTH) : progressBar(percent, BAR_WIDTH);
    const percentText =
      percent === undefined ? '    ' : `${String(Math.round(percent)).padStart(3)}%`;
    const elapsed =
      stage.startedAt === undefined
        ? ''
        : formatDuration((stage.endedAt ?? this.now()) - stage.startedAt);
    // As the editor's tree says it: a count only where retries are set, a resume as a resume.
    const attemptWords = attemptText({ ...stage, attemptsPerGo });
    const attempt = attemptWords === undefined ? '' : colors.yellow(` ${attemptWords}`);
    const own = this.messageOf(stage, live && !fanning);
    const message = items === undefined ? own : own === '' ? items.text : `${items.text} · ${own}`;
    // Icon, spaces, percent and time take about 20 columns besides the name, the bar and the attempt.
    const room = Math.max(0, width - (nameWidth + BAR_WIDTH + 22 + (attemptWords?.length ?? 0)));
    const barColor = stage.status === 'failed' ? colors.red : live ? colors.cyan : colors.green;
    return `${icon} ${name} ${barColor(bar)} ${percentText} ${colors.dim(elapsed.padStart(7))}${attempt} ${colors.dim(truncate(message, room))}`;
  }

  private messageOf(stage: StageState, live: boolean): string {
    if (
      stage.status === 'failed' ||
      stage.status === 'skipped' ||
      stage.status === 'cancelled' ||
      stage.status === 'retrying' ||
      stage.status === 'waitingForPool'
    ) {
      return stage.reason ?? '';
    }
    // What holds a remote stage up says more than its last line.
    if (live && stage.executorCondition !== undefined)
      return executorConditionText(stage.executorCondition);
    if (live) return stage.progress?.message ?? this.lastLine.get(stage.id) ?? '';
    if (stage.status === 'succeeded' && stage.upToDate !== undefined) return stage.plan ?? '';
    if (stage.status === 'succeeded') return this.lastLine.get(stage.id) ?? '';
    return '';
  }
}

/** `text` without ANSI escape sequences and other control characters. */
function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)|[\x00-\x1f\x7f]/g, '');
}

/** Display priority when not every stage fits: live and failed stages first. */
const PRIORITY: Record<StageState['status'], number> = {
  running: 0,
  waiting: 0,
  retrying: 1,
  waitingForPool: 1,
  failed: 2,
  ready: 3,
  pending: 4,
  succeeded: 5,
  cancelled: 6,
  skipped: 6,
};

/** The `count` stages most worth a line, kept in declaration order. */
function mostInteresting(stages: readonly StageState[], count: number): StageState[] {
  const chosen = new Set(
    [...stages]
      .sort((a, b) => PRIORITY[a.status] - PRIORITY[b.status])
      .slice(0, Math.max(0, count)),
  );
  return stages.filter((stage) => chosen.has(stage));
}

/** `+12 more: 10 succeeded, 2 pending` for the stages without a line. */
function hiddenSummary(stages: readonly StageState[], shown: readonly StageState[]): string {
  const counts = new Map<string, number>();
  for (const stage of stages) {
    if (!shown.includes(stage)) counts.set(stage.status, (counts.get(stage.status) ?? 0) + 1);
  }
  const parts = [...counts].map(([status, count]) => `${count} ${status}`);
  return `  +${stages.length - shown.length} more: ${parts.join(', ')}`;
}
