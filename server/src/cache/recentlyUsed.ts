/**
 * A map that keeps at most `capacity` entries, dropping the least recently
 * set first: the bound of the server's in-memory caches (kept plans, parsed
 * cache files, loaded run states, run timelines). `get` only looks; `set`
 * makes an entry the most recent.
 */
export class RecentlyUsed<K, V> {
  private readonly entries = new Map<K, V>();

  /**
   * @param capacity how many entries are kept
   * @param onDrop told of each key dropped to stay within `capacity` (not of `delete`)
   */
  constructor(
    private readonly capacity: number,
    private readonly onDrop: (key: K) => void = () => undefined,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Sets `key` as the most recent entry, dropping the oldest ones beyond the capacity. */
  set(key: K, value: V): void {
    // A Map iterates in insertion order, so deleting first moves the key to the newest end.
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
      this.onDrop(oldest);
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** The keys, least recently set first. */
  keys(): IterableIterator<K> {
    return this.entries.keys();
  }

  clear(): void {
    this.entries.clear();
  }
}
