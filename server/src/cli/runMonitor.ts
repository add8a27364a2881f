import type { PromptState, RunState, RunStatus } from '@baton/core';
import { promises as fs } from 'node:fs';
import type { Engine } from '../engine/engine';
import type { Disposable } from '../engine/typedEmitter';
import { exitCodeForStatus } from './exitCodes';
import { LiveView } from './liveView';
import { PlainView } from './plainView';
import { askInline } from './promptAsker';
import type { AskOutcome } from './promptAsker';
import { PromptQueue } from './promptQueue';
import type { Terminal } from './terminal';

/** How a run is shown while it runs. */
export interface MonitorOptions {
  readonly terminal: Terminal;
  readonly engine: Engine;
  /** Print only the final JSON result. */
  readonly json: boolean;
  /** Ask prompts inline in the terminal (a TTY without --yes). */
  readonly askInline: boolean;
  /** Prompts can be answered with `baton answer` (print how). */
  readonly answerable: boolean;
}

/**
 * Shows the engine's runs (the CLI's engine owns exactly one) in the
 * terminal: a live view on a TTY, plain lines otherwise, nothing but the
 * result with --json. Attach it before starting the run so no event is missed.
 */
export class RunMonitor {
  private readonly subscriptions: Disposable[] = [];
  private readonly live: LiveView | undefined;
  private readonly plain: PlainView | undefined;
  private readonly prompts: PromptQueue | undefined;
  private runId: string | undefined;
  private interrupting = false;
  private readonly onSignal = (): void => void this.interrupt();

  constructor(private readonly options: MonitorOptions) {
    const { terminal, engine } = options;
    if (!options.json) {
      if (terminal.isTTY) this.live = new LiveView(terminal);
      else this.plain = new PlainView(terminal);
    }
    if (options.askInline) {
      this.prompts = new PromptQueue(askInline, {
        before: () => this.live?.pause(),
        after: () => this.live?.resume(),
        answered: (prompt, outcome) => this.onAnswered(prompt, outcome),
      });
    }
    this.subscriptions.push(
      engine.on('runChanged', (payload) => {
        this.live?.onRunChanged(payload);
        this.plain?.onRunChanged(payload);
      }),
      engine.on('log', (payload) => {
        this.live?.onLog(payload);
        this.plain?.onLog(payload);
      }),
      engine.on('promptOpened', ({ prompt, runId }) => this.onPromptOpened(prompt, runId)),
      engine.on('promptClosed', (payload) => {
        this.prompts?.closed(payload.promptId);
        if (!this.options.askInline) this.plain?.onPromptClosed(payload);
      }),
      engine.on('annotation', ({ stage, annotation }) => {
        if (annotation.level !== 'debug')
          this.live?.note(
            `${levelMark(annotation.level, terminal)} [${stage}] ${annotation.message}`,
          );
      }),
      engine.on('notice', ({ message }) => this.note(message)),
      engine.on('problem', ({ message }) => this.note(`baton: ${message}`)),
    );
  }

  /** Prints a note above the live view or as a plain line (stderr with --json). */
  note(text: string): void {
    if (this.live) this.live.note(text);
    else if (this.plain) this.plain.note(text);
    else this.options.terminal.error(text);
  }

  /** Remembers where a resumed run starts, so stages finished before are not reported again. */
  seed(state: RunState): void {
    this.plain?.seed(state);
  }

  /** Follows run `runId` until the engine lets go of it; returns the exit code. */
  async follow(runId: string, finished: Promise<RunStatus>): Promise<number> {
    this.runId = runId;
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    this.live?.start();
    let status: RunStatus;
    try {
      status = await finished;
    } finally {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
      this.prompts?.clear();
      this.live?.stop();
      for (const subscription of this.subscriptions) subscription.dispose();
    }
    await this.report(await this.options.engine.getRunState(runId));
    return exitCodeForStatus(status);
  }

  private onPromptOpened(prompt: PromptState, runId: string): void {
    if (this.prompts) {
      this.prompts.opened(prompt);
      return;
    }
    if (this.plain) this.plain.onPromptOpened(prompt, runId, this.options.answerable);
    else if (this.options.answerable)
      this.options.terminal.error(
        `prompt ${prompt.id}: ${prompt.message} (answer with: baton answer ${runId} ${prompt.id} <value>)`,
      );
  }

  private async onAnswered(prompt: PromptState, outcome: AskOutcome): Promise<void> {
    if (outcome.kind === 'interrupted') {
      await this.interrupt();
      return;
    }
    if (outcome.kind !== 'answered' || this.runId === undefined) return;
    try {
      await this.options.engine.answerPrompt(
        this.runId,
        prompt.id,
        { value: outcome.value },
        'cli',
      );
    } catch (error) {
      this.note(`answer not accepted: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async interrupt(): Promise<void> {
    if (this.interrupting) {
      // A second Ctrl-C while stages are being stopped: leave at once.
      process.exit(130);
    }
    this.interrupting = true;
    this.note('Interrupting: stopping the stages (Ctrl-C again to quit at once)…');
    await this.options.engine.interruptAll('interrupted by the user (Ctrl-C)');
  }

  private async report(state: RunState): Promise<void> {
    const { terminal } = this.options;
    if (this.options.json) {
      terminal.line(JSON.stringify(await this.options.engine.getSnapshot(state.runId), null, 2));
      return;
    }
    this.plain?.finish(state);
    const summaries = await readSummaries(this.options.engine, state);
    if (summaries !== '') terminal.line(`\n${summaries.trimEnd()}\n`);
    const { colors } = terminal;
    if (this.live) {
      const reason = state.reason === undefined ? '' : `: ${state.reason}`;
      const paint =
        state.status === 'succeeded'
          ? colors.green
          : state.status === 'interrupted'
            ? colors.yellow
            : colors.red;
      terminal.line(paint(`Run ${state.runId} ${state.status}${reason}`));
    }
    if (state.status !== 'succeeded') {
      terminal.line(
        `Resume with: ${colors.bold(`baton resume ${state.runId}`)}   Logs: baton logs ${state.runId}`,
      );
    }
  }
}

function levelMark(level: string, terminal: Terminal): string {
  const { colors } = terminal;
  return level === 'error'
    ? colors.red('✖')
    : level === 'warning'
      ? colors.yellow('⚠')
      : colors.blue('ℹ');
}

/** The `$BATON_SUMMARY` markdown of every stage of a run, in stage-id (file-name) order. */
async function readSummaries(engine: Engine, state: RunState): Promise<string> {
  const stages = state.pipeline.stages.map((stage) => stage.id).sort();
  const texts = await Promise.all(
    stages.map((stage) =>
      fs.readFile(engine.files.stageSummaryFile(state.runId, stage), 'utf8').catch(() => ''),
    ),
  );
  return texts.filter((text) => text.trim() !== '').join('\n');
}
