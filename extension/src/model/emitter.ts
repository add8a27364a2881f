/** Something that can be released; structurally compatible with `vscode.Disposable`. */
export interface Disposable {
  dispose(): void;
}

/** Subscribes a listener; structurally compatible with `vscode.Event`. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/**
 * A minimal typed event emitter for the extension's business logic, which may
 * not import `vscode` (and so cannot use `vscode.EventEmitter`).
 */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  /** Subscribes to the events this emitter fires. */
  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Calls every listener with `value`, in subscription order. */
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  /** Removes every listener. */
  dispose(): void {
    this.listeners.clear();
  }
}
