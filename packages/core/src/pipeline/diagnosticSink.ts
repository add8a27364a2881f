import { LineCounter } from 'yaml';
import type { Diagnostic, DiagnosticFix } from './model';
import type { SourceRange } from './sourceNode';

/**
 * Collects diagnostics for one file and turns character offsets into the
 * 1-based line/column positions editors and terminals show.
 */
export class DiagnosticSink {
  private readonly collected: Diagnostic[] = [];

  /**
   * @param file the file name every diagnostic carries.
   * @param lines the line table of the file text (filled by the YAML parser or {@link indexLines}).
   */
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  /** Everything reported so far, in report order. */
  get diagnostics(): readonly Diagnostic[] {
    return this.collected;
  }

  /** True once any error (not warning) was reported. */
  get hasErrors(): boolean {
    return this.collected.some((d) => d.severity === 'error');
  }

  /** Reports an error at `range`; `fix` is the correction a "Did you mean" proposes. */
  error(range: SourceRange, code: string, message: string, fix?: DiagnosticFix): void {
    this.report('error', range, code, message, fix);
  }

  /** Reports a warning at `range`; warnings never stop a pipeline from loading. */
  warning(range: SourceRange, code: string, message: string, fix?: DiagnosticFix): void {
    this.report('warning', range, code, message, fix);
  }

  private report(
    severity: Diagnostic['severity'],
    range: SourceRange,
    code: string,
    message: string,
    fix?: DiagnosticFix,
  ): void {
    const start = this.lines.linePos(range.start);
    const end = this.lines.linePos(Math.max(range.start, range.end));
    this.collected.push({
      file: this.file,
      line: start.line,
      column: start.col,
      endLine: end.line,
      endColumn: end.col,
      severity,
      code,
      message,
      ...(fix === undefined ? {} : { fix }),
    });
  }
}

/** Builds a line table for text that did not go through the YAML parser (JSON files). */
export function indexLines(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) lines.addNewLine(i + 1);
  }
  return lines;
}
