/**
 * Watches one open file for writes with `fs.watch` (inotify on Linux), which
 * reports every write at once: chokidar throttles its `change` events per
 * name (one per 50 ms) and drops those whose mtime did not move, so a tailer
 * that waits for them lags a steady writer by up to a throttle window.
 *
 * On Linux the watch follows the file, not its name: inotify binds a watch
 * to the inode the path pointed to when it was set, so after a rename the
 * watch keeps reporting writes to the old file and says `moved` once. (On
 * Windows a file watch follows the name; the tailer's safety poll reads a
 * renamed file there.)
 */
import { watch } from 'node:fs';

/** What happened to a watched file. */
export type InodeWatchEvent = 'written' | 'moved';

/** A running watch of one file. */
export interface InodeWatch {
  /** Stops the watch; no callback runs afterwards. Safe to call twice. */
  close(): void;
}

/**
 * Starts a watch of the file `file` names now. `onEvent` gets `written` for
 * a change of its content or attributes (a write, a truncation, an unlink of
 * one of its names) and `moved` when it was renamed. `onLost` runs once when
 * the watch stops working by itself. Returns undefined when no watch can be
 * set (ENOSPC: the system's limit of inotify watches; ENOENT: the name is
 * gone already; a platform without file watches): the caller then learns of
 * changes some other way.
 */
export type WatchFile = (
  file: string,
  onEvent: (event: InodeWatchEvent) => void,
  onLost: (error: Error) => void,
) => InodeWatch | undefined;

/** `WatchFile` through `fs.watch`. */
export const watchFileWithFsWatch: WatchFile = (file, onEvent, onLost) => {
  let closed = false;
  try {
    // Not persistent: a forgotten tailer must not keep the process alive.
    const watcher = watch(file, { persistent: false }, (eventType) => {
      if (!closed) onEvent(eventType === 'rename' ? 'moved' : 'written');
    });
    watcher.on('error', (error) => {
      if (closed) return;
      closed = true;
      watcher.close();
      onLost(error);
    });
    return {
      close: () => {
        if (closed) return;
        closed = true;
        watcher.close();
      },
    };
  } catch {
    return undefined;
  }
};
