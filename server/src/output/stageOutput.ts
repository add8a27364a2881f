/**
 * Turns the raw stdout and stderr chunks of one stage attempt into masked log
 * lines, progress, prompts, annotations and groups.
 *
 * Rules (see docs/stage-protocol.md):
 * - workflow commands (`::…`, `##vso[…]`, `##[…]`, `##teamcity[…]`) count on
 *   stdout only; on stderr they are ordinary text, except `::add-mask::`,
 *   which is honoured on both streams because hiding text changes no state and
 *   echoing a secret because it went to the wrong stream would leak it;
 * - progress bars (tqdm, OSC 9;4) count on both streams, as tqdm writes to stderr;
 * - every string handed out is masked, and an `::add-mask::` line is never shown;
 * - nothing printed changes a run's results: outputs come from `$BATON_OUTPUT`.
 */
import type { Progress } from '@baton/core';
import { LineSplitter } from './lineSplitter';
import { LineMarkers, PlainLineFilter } from './plainLines';
import type { LineEnding } from './lineSplitter';
import { Masker } from './masker';
import { describeAnnotation, describePrompt, describeProgress } from './readableCommand';
import { ProgressLogGate } from './progressLogGate';
import type { Annotation, PromptRequest, StageCommand } from './stageCommand';
import { extractOscProgress, parseProgressBar } from './terminalProgress';
import { parseStageCommand, parseWorkflowCommandSyntax } from './workflowCommands';

/** Which output stream of the stage. */
export type OutputStream = 'stdout' | 'stderr';

/**
 * What a log line is: the stage's own `text`, an `overwrite` (a carriage-return
 * update such as a progress bar, which a viewer may collapse), a readable form
 * of a command, or a `baton` remark about the output (an ignored command).
 */
export type OutputLineKind =
  'text' | 'overwrite' | 'debug' | 'annotation' | 'prompt' | 'progress' | 'group' | 'baton';

/** One masked line for the log. */
export interface OutputLine {
  readonly text: string;
  readonly stream: OutputStream;
  readonly kind: OutputLineKind;
  /** The title of the `::group::` the line is in, if any. */
  readonly group?: string;
  /** Set when the line was longer than the limit and continues in the next line. */
  readonly continues?: boolean;
}

/** A prompt as the stage asked it, masked, with an id always set. */
export interface StagePrompt extends PromptRequest {
  /** The stage's id, or `prompt-<n>` (n counting the stage's prompts from 1) when it gave none. */
  readonly id: string;
}

/** A group starting or ending. */
export type GroupEvent =
  { readonly kind: 'start'; readonly title: string } | { readonly kind: 'end' };

/**
 * Where the processor writes what the output means: the one typed sink of a
 * stage's output (the engine's attempt implements it). All members optional.
 */
export interface StageOutputSink {
  readonly line?: (line: OutputLine) => void;
  /**
   * Complete lines of ordinary output, as the very bytes the stage printed
   * (valid UTF-8, each line ending in `\n`, nothing to mask or interpret):
   * what `line` would have received one `text` line at a time. When set, such
   * runs skip the per-line work and come here instead, without a `group`.
   */
  readonly plain?: (bytes: Buffer, stream: OutputStream) => void;
  /** Unthrottled: pass it through a `ProgressThrottle`. */
  readonly progress?: (progress: Progress) => void;
  readonly prompt?: (prompt: StagePrompt) => void;
  readonly annotation?: (annotation: Annotation) => void;
  readonly group?: (event: GroupEvent) => void;
  /** A value the stage asked to mask; the engine should mask it everywhere else too. */
  readonly mask?: (value: string) => void;
}

/** Options of the processor. */
export interface StageOutputOptions {
  /** Longest line before it is split; see `LineSplitter`. */
  readonly maxLineLength?: number;
  /** The masker to use: the run's, which holds the pipeline's secrets and every `::add-mask::` value. */
  readonly masker?: Masker;
  /**
   * Whether runs of ordinary lines go to the sink's `plain` (default true when
   * it has one); false gives every line to `line`, the reference the fast path is tested against.
   */
  readonly plainRuns?: boolean;
}

/** Per-stream state. */
interface StreamState {
  readonly splitter: LineSplitter;
  /** Set when plain runs go to the `plain` handler. */
  readonly plainFilter: PlainLineFilter | undefined;
  /** Unmasked tail of a split line that may be the start of a secret. */
  carry: string;
  /** The line being read was split: its next piece is a continuation, not a new line. */
  continuing: boolean;
}

/** The processor; see the module comment. */
export class StageOutputProcessor {
  /** The masker in use; add pipeline secrets to it. */
  readonly masker: Masker;
  private readonly streams: Record<OutputStream, StreamState>;
  private group: string | undefined;
  private stopToken: string | undefined;
  private promptCount = 0;
  /** Which `::progress` updates get a line in the log (the bar itself gets every one). */
  private readonly progressLog = new ProgressLogGate();

  constructor(
    private readonly sink: StageOutputSink,
    options: StageOutputOptions = {},
  ) {
    this.masker = options.masker ?? new Masker();
    const plain = options.plainRuns === false ? undefined : sink.plain?.bind(sink);
    const markers = new LineMarkers(this.masker);
    const state = (stream: OutputStream): StreamState => {
      const splitter = new LineSplitter(
        (text, ending) => this.onLine(stream, text, ending),
        options.maxLineLength,
      );
      const plainFilter =
        plain &&
        new PlainLineFilter(markers, {
          plain: (bytes) => plain(bytes, stream),
          marked: (bytes) => splitter.push(bytes),
        });
      return { splitter, plainFilter, carry: '', continuing: false };
    };
    this.streams = { stdout: state('stdout'), stderr: state('stderr') };
  }

  /** Feeds a chunk of raw output. */
  push(chunk: Buffer, stream: OutputStream): void {
    const state = this.streams[stream];
    if (!state.plainFilter) {
      state.splitter.push(chunk);
      return;
    }
    state.plainFilter.push(chunk);
  }

  /** Delivers the unterminated last lines of both streams; call once the stage has exited. */
  flush(): void {
    this.streams.stdout.splitter.flush();
    this.streams.stderr.splitter.flush();
  }

  /**
   * Ends the unterminated line of a stream where it is, as if the program had
   * printed a newline: what a terminal's echo of an answer does. Without it,
   * the question of a bare `input()` would begin the next line, which would
   * then neither be read as a command nor stand alone as the next question.
   */
  endLine(stream: OutputStream = 'stdout'): void {
    const state = this.streams[stream];
    state.splitter.endLine();
    state.plainFilter?.lineEnded();
  }

  /**
   * The masked text of the current unterminated line of a stream: what a
   * program printed before waiting for `input()`. Empty while that text is a
   * carriage-return update (a progress bar redrawing is not a question).
   */
  partialLine(stream: OutputStream = 'stdout'): string {
    const state = this.streams[stream];
    if (state.splitter.partialFollowsCarriageReturn()) return '';
    const text = extractOscProgress(state.carry + state.splitter.currentPartial()).text;
    return this.masker.mask(text);
  }

  private onLine(stream: OutputStream, raw: string, ending: LineEnding): void {
    const state = this.streams[stream];
    const startsLine = !state.continuing;
    state.continuing = ending === 'split';
    const scan = extractOscProgress(raw);
    if (scan.progress) this.emitProgress(scan.progress, stream, false);
    if (ending === 'split') {
      const { masked, rest } = this.masker.maskStreaming(state.carry + scan.text);
      state.carry = rest;
      if (masked !== '') this.emitLine(stream, 'text', masked, true);
      return;
    }
    const text = state.carry + scan.text;
    state.carry = '';
    // A command must fit on one line; the tail of a split line is plain text.
    if (startsLine && this.handleCommandLine(stream, text)) return;
    if (ending === 'carriageReturn' && text === '') return;
    const overwrite = ending === 'carriageReturn';
    const bar = parseProgressBar(text, overwrite);
    if (bar) this.emitProgress(this.maskProgress(bar), stream, false);
    if (scan.found && text.trim() === '') return;
    this.emitLine(stream, overwrite ? 'overwrite' : 'text', this.masker.mask(text));
  }

  /** Handles `text` when it is a command; returns false for ordinary output. */
  private handleCommandLine(stream: OutputStream, text: string): boolean {
    if (this.stopToken !== undefined) {
      const syntax = stream === 'stdout' ? parseWorkflowCommandSyntax(text) : undefined;
      if (!syntax || syntax.name !== this.stopToken) return false;
      this.stopToken = undefined;
      this.emitLine(stream, 'baton', '[baton] workflow commands resumed');
      return true;
    }
    const command = parseStageCommand(text);
    if (!command) return false;
    if (command.kind === 'addMask') {
      this.addMask(stream, command.value);
      return true;
    }
    if (stream !== 'stdout') return false;
    this.handleCommand(command, text);
    return true;
  }

  private handleCommand(command: Exclude<StageCommand, { kind: 'addMask' }>, text: string): void {
    const mask = (value: string): string => this.masker.mask(value);
    switch (command.kind) {
      case 'progress':
        this.emitProgress(this.maskProgress(command.progress), 'stdout', true);
        return;
      case 'prompt':
        this.emitPrompt(command.prompt);
        return;
      case 'group':
        // Groups do not nest: a new group ends the one still open.
        if (this.group !== undefined) this.sink.group?.({ kind: 'end' });
        this.group = mask(command.title);
        this.sink.group?.({ kind: 'start', title: this.group });
        this.emitLine('stdout', 'group', `[group] ${this.group}`);
        return;
      case 'endGroup':
        this.emitLine('stdout', 'group', '[endgroup]');
        this.group = undefined;
        this.sink.group?.({ kind: 'end' });
        return;
      case 'debug':
        this.emitLine('stdout', 'debug', `[debug] ${mask(command.message)}`);
        return;
      case 'annotation':
        this.emitAnnotation(command.annotation);
        return;
      case 'stopCommands':
        this.stopToken = command.token;
        this.emitLine(
          'stdout',
          'baton',
          '[baton] workflow commands stopped until the resume token',
        );
        return;
      case 'invalid':
        this.emitLine('stdout', 'text', mask(text));
        this.emitLine(
          'stdout',
          'baton',
          `[baton] ignored ::${command.command}: ${mask(command.reason)}`,
        );
        return;
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  }

  private addMask(stream: OutputStream, value: string): void {
    if (this.masker.add(value)) {
      this.sink.mask?.(value);
    } else {
      this.emitLine(stream, 'baton', '[baton] ::add-mask:: value ignored: too short to mask');
    }
  }

  private emitProgress(progress: Progress, stream: OutputStream, logged: boolean): void {
    this.sink.progress?.(progress);
    if (logged && this.progressLog.admit(progress))
      this.emitLine(stream, 'progress', describeProgress(progress));
  }

  private maskProgress(progress: Progress): Progress {
    return progress.message === undefined
      ? progress
      : { ...progress, message: this.masker.mask(progress.message) };
  }

  private emitPrompt(request: PromptRequest): void {
    this.promptCount += 1;
    const mask = (value: string): string => this.masker.mask(value);
    // The handler gets the real options and default: an answer taken from them
    // goes to the stage's stdin, and masking is for what people see. Whoever
    // shows or stores the prompt masks it (the engine's masker knows these values).
    const prompt: StagePrompt = {
      ...request,
      id: request.id ?? `prompt-${this.promptCount}`,
      message: mask(request.message),
    };
    const shown: StagePrompt = {
      ...prompt,
      ...(request.options ? { options: request.options.map(mask) } : {}),
      ...(typeof request.default === 'string' ? { default: mask(request.default) } : {}),
      ...(Array.isArray(request.default) ? { default: request.default.map(mask) } : {}),
    };
    this.emitLine('stdout', 'prompt', describePrompt(prompt.id, shown));
    this.sink.prompt?.(prompt);
  }

  private emitAnnotation(raw: Annotation): void {
    const mask = (value: string): string => this.masker.mask(value);
    const annotation: Annotation = {
      ...raw,
      message: mask(raw.message),
      ...(raw.file !== undefined ? { file: mask(raw.file) } : {}),
      ...(raw.title !== undefined ? { title: mask(raw.title) } : {}),
    };
    this.emitLine('stdout', 'annotation', describeAnnotation(annotation));
    this.sink.annotation?.(annotation);
  }

  private emitLine(
    stream: OutputStream,
    kind: OutputLineKind,
    text: string,
    continues = false,
  ): void {
    if (!this.sink.line) return;
    const line: { -readonly [K in keyof OutputLine]: OutputLine[K] } = { text, stream, kind };
    if (this.group !== undefined) line.group = this.group;
    if (continues) line.continues = true;
    this.sink.line(line);
  }
}
