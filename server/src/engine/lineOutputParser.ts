import type { Progress } from '@baton/core';
import { LineSplitter } from '../output/lineSplitter';
import type { LineEnding } from '../output/lineSplitter';
import { Masker as StreamMasker } from '../output/masker';
import type { StageCommand } from '../output/stageCommand';
import { extractOscProgress, parseProgressBar } from '../output/terminalProgress';
import { parseStageCommand } from '../output/workflowCommands';
import type { StageOutputItem, StageOutputParser } from './outputPort';

/**
 * The engine's reading of stage output, built from the output module's
 * pieces: lines are split per stream; on stdout, `::` workflow commands are
 * recognised (honouring `::stop-commands::`); tqdm bars, `\r` counters and
 * OSC 9;4 sequences on either stream become progress; everything that is
 * not a command goes to the log, masked. `\r` updates are not logged (only
 * the line a bar ends on), so a progress bar costs one log line.
 */
export class LineOutputParser implements StageOutputParser {
  private readonly masker = new StreamMasker();
  private readonly stdout: LineSplitter;
  private readonly stderr: LineSplitter;
  private items: StageOutputItem[] = [];
  private stopToken: string | undefined;

  constructor() {
    this.stdout = new LineSplitter((text, ending) => this.onLine(text, ending, true));
    this.stderr = new LineSplitter((text, ending) => this.onLine(text, ending, false));
  }

  push(stream: 'stdout' | 'stderr', chunk: Buffer): StageOutputItem[] {
    (stream === 'stdout' ? this.stdout : this.stderr).push(chunk);
    return this.take();
  }

  end(): StageOutputItem[] {
    this.stdout.flush();
    this.stderr.flush();
    return this.take();
  }

  partialLine(): string {
    return this.masker.mask(this.stdout.currentPartial());
  }

  addMask(value: string): void {
    this.masker.add(value);
  }

  private take(): StageOutputItem[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  private onLine(raw: string, ending: LineEnding, isStdout: boolean): void {
    const osc = extractOscProgress(raw);
    if (osc.progress) this.items.push({ kind: 'progress', progress: osc.progress });
    const text = osc.text;
    if (ending === 'carriageReturn') {
      const progress = parseProgressBar(text, true);
      if (progress) this.items.push({ kind: 'progress', progress: this.maskProgress(progress) });
      return;
    }
    if (isStdout && this.handleCommand(text)) return;
    const progress = parseProgressBar(text, false);
    if (progress) this.items.push({ kind: 'progress', progress: this.maskProgress(progress) });
    if (osc.found && text.trim() === '') return;
    const newline = ending === 'split' ? '' : '\n';
    this.items.push({ kind: 'text', text: `${this.masker.mask(text)}${newline}` });
  }

  /** Handles a workflow command line; false when the line is ordinary output. */
  private handleCommand(text: string): boolean {
    if (this.stopToken !== undefined) {
      if (text.trim() === `::${this.stopToken}::`) {
        this.stopToken = undefined;
        return true;
      }
      return false;
    }
    const command = parseStageCommand(text);
    if (!command) return false;
    this.onCommand(command, text);
    return true;
  }

  private onCommand(command: StageCommand, line: string): void {
    const mask = (text: string): string => this.masker.mask(text);
    switch (command.kind) {
      case 'progress':
        this.items.push({ kind: 'progress', progress: this.maskProgress(command.progress) });
        return;
      case 'prompt':
        this.items.push({
          kind: 'prompt',
          prompt: { ...command.prompt, message: mask(command.prompt.message) },
        });
        return;
      case 'group':
        this.items.push({ kind: 'text', text: `▼ ${mask(command.title)}\n` });
        return;
      case 'endGroup':
        return;
      case 'debug':
        this.items.push({
          kind: 'annotation',
          annotation: { level: 'debug', message: mask(command.message) },
        });
        return;
      case 'annotation': {
        const { col, endLine: _endLine, endColumn: _endColumn, ...rest } = command.annotation;
        const annotation = {
          ...rest,
          message: mask(rest.message),
          ...(col === undefined ? {} : { column: col }),
        };
        this.items.push({ kind: 'annotation', annotation });
        this.items.push({ kind: 'text', text: `${annotation.level}: ${annotation.message}\n` });
        return;
      }
      case 'addMask':
        this.masker.add(command.value);
        this.items.push({ kind: 'mask', value: command.value });
        return;
      case 'stopCommands':
        this.stopToken = command.token;
        return;
      case 'invalid':
        this.items.push({ kind: 'text', text: `${mask(line)}\n` });
        this.items.push({
          kind: 'annotation',
          annotation: {
            level: 'warning',
            message: `ignored ${command.command}: ${mask(command.reason)}`,
          },
        });
        return;
      default: {
        const never: never = command;
        throw new Error(`unknown stage command ${JSON.stringify(never)}`);
      }
    }
  }

  private maskProgress(progress: Progress): Progress {
    return progress.message === undefined
      ? progress
      : { ...progress, message: this.masker.mask(progress.message) };
  }
}
