/** Something that can be undone; returned by every `on` so callers can unsubscribe. */
export interface Disposable {
  dispose(): void;
}

/**
 * A small synchronous event emitter whose event names and payloads are
 * checked by the compiler. A listener that throws does not stop the others;
 * its error goes to `onListenerError`.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  /** Calls `listener` for every `name` event until the returned disposable is disposed. */
  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => void): Disposable {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return { dispose: () => set.delete(entry) };
  }

  /** Delivers `payload` to every listener of `name`, in subscription order. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.listeners.get(name);
    if (!set) {
      return;
    }
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  /** Whether anyone listens to `name` (lets emitters skip building costly payloads). */
  hasListeners(name: keyof Events): boolean {
    return (this.listeners.get(name)?.size ?? 0) > 0;
  }
}
