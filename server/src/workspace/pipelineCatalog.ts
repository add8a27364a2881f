import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { glob } from 'tinyglobby';
import { isPipelineFile, parsePipeline, pipelineIdFromFile } from '@baton/core';
import type * as P from '@baton/protocol';
import type { Logger } from '../rpc/logger';
import { toWirePipeline } from '../rpc/service/wire';

const PATTERN = '**/*.pipeline.{yaml,yml,json}';
const IGNORED_DIRS = new Set(['node_modules', '.git', '.baton']);
/** Edits come in bursts (save = truncate + write); one rescan per burst. */
const RESCAN_DELAY_MS = 100;

/**
 * The workspace's pipeline files, parsed, with their diagnostics. Invalid
 * files are kept in the list. Watches the folders with chokidar and calls
 * `onChange` with the new list when a pipeline file is added, edited or deleted.
 */
export class PipelineCatalog {
  private pipelines: P.WirePipeline[] = [];
  private watcher: FSWatcher | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly folders: readonly string[],
    private readonly logger: Logger,
  ) {}

  /** The current list, sorted by file. */
  list(): P.WirePipeline[] {
    return this.pipelines;
  }

  /** Finds and parses every pipeline file under the folders. */
  async scan(): Promise<P.WirePipeline[]> {
    const files = new Set<string>();
    for (const folder of this.folders) {
      const found = await glob(PATTERN, {
        cwd: folder,
        absolute: true,
        ignore: [...IGNORED_DIRS].map((dir) => `**/${dir}/**`),
      });
      for (const file of found) files.add(path.resolve(file));
    }
    const parsed = await Promise.all([...files].sort().map((file) => readPipeline(file)));
    this.pipelines = parsed;
    return parsed;
  }

  /** A pipeline by id, or by file path (absolute, or relative to the first folder). */
  resolve(reference: string): P.WirePipeline | undefined {
    const byId = this.pipelines.find((pipeline) => pipeline.id === reference);
    if (byId !== undefined) return byId;
    const base = this.folders[0] ?? process.cwd();
    const file = path.resolve(base, reference);
    return this.pipelines.find((pipeline) => pipeline.file === file);
  }

  /** Parses one file that is not (yet) in the list, if it is inside a workspace folder. */
  async resolveFile(reference: string): Promise<P.WirePipeline | undefined> {
    const file = path.resolve(this.folders[0] ?? process.cwd(), reference);
    const inside = this.folders.some((folder) => !path.relative(folder, file).startsWith('..'));
    if (!inside || !isPipelineFile(file)) return undefined;
    try {
      await fs.access(file);
    } catch {
      return undefined;
    }
    return readPipeline(file);
  }

  /**
   * Starts watching; `onChange` gets the new list after each burst of changes.
   * Resolves once the watcher is ready; a file that appeared, changed or went
   * away between the last scan and then is caught by one more scan.
   */
  async watch(onChange: (pipelines: P.WirePipeline[]) => void): Promise<void> {
    if (this.folders.length === 0) return;
    const watcher = watch([...this.folders], {
      ignoreInitial: true,
      // Only folders and pipeline files are watched: a watcher per file of a 10,000-item
      // `foreach:` folder cost the server memory (and the system inotify watches) per item.
      ignored: (file, stats) =>
        file.split(path.sep).some((part) => IGNORED_DIRS.has(part)) ||
        (stats?.isFile() === true && !isPipelineFile(file)),
    });
    this.watcher = watcher;
    const rescan = (): void => {
      this.scan().then(onChange, (error: unknown) =>
        this.logger.error('Rescanning pipelines failed', error),
      );
    };
    const schedule = (file: string): void => {
      if (!isPipelineFile(file)) return;
      if (this.rescanTimer !== undefined) clearTimeout(this.rescanTimer);
      this.rescanTimer = setTimeout(rescan, RESCAN_DELAY_MS);
    };
    watcher.on('add', schedule).on('change', schedule).on('unlink', schedule);
    watcher.on('error', (error) => this.logger.error('Watching pipelines failed', error));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    // Files added, edited or deleted before the watcher was ready raised no event: compare it all.
    const before = JSON.stringify(this.pipelines);
    const after = await this.scan();
    if (JSON.stringify(after) !== before) onChange(after);
  }

  /** Stops watching. */
  async dispose(): Promise<void> {
    if (this.rescanTimer !== undefined) clearTimeout(this.rescanTimer);
    await this.watcher?.close();
  }
}

/** Reads and parses one file; an unreadable file becomes a pipeline with one diagnostic. */
async function readPipeline(file: string): Promise<P.WirePipeline> {
  const id = pipelineIdFromFile(file);
  try {
    const text = await fs.readFile(file, 'utf8');
    return toWirePipeline(file, id, parsePipeline(text, file));
  } catch (error) {
    const message = `Cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
    return toWirePipeline(file, id, {
      diagnostics: [{ file, line: 1, column: 1, severity: 'error', code: 'unreadable', message }],
    });
  }
}
