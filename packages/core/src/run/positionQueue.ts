/**
 * A min-heap of stage positions (indices into `pipeline.stages`), so a
 * scheduling pass can visit the stages it must look at in declaration order
 * without walking every stage. Pushing a position twice is allowed; `pop`
 * returns it once as long as it is still in the heap.
 */
export class PositionQueue {
  private readonly heap: number[] = [];
  private last = -1;

  /** Whether nothing is left to pop. */
  get isEmpty(): boolean {
    return this.heap.length === 0;
  }

  /** Adds a position. */
  push(position: number): void {
    const heap = this.heap;
    heap.push(position);
    let child = heap.length - 1;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const above = heap[parent] as number;
      if (above <= position) break;
      heap[child] = above;
      child = parent;
    }
    heap[child] = position;
  }

  /**
   * The smallest position not yet returned, or undefined when empty. Copies
   * of the position just returned are skipped, which removes every repeat as
   * long as nothing smaller than it is pushed afterwards (a pass only adds
   * positions after the one it is looking at).
   */
  pop(): number | undefined {
    for (;;) {
      const top = this.takeSmallest();
      if (top === undefined || top !== this.last) {
        if (top !== undefined) this.last = top;
        return top;
      }
    }
  }

  private takeSmallest(): number | undefined {
    const heap = this.heap;
    const top = heap[0];
    const tail = heap.pop();
    if (top === undefined || tail === undefined || heap.length === 0) return top;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child =
        right < heap.length && (heap[right] as number) < (heap[left] as number) ? right : left;
      const below = heap[child] as number;
      if (below >= tail) break;
      heap[parent] = below;
      parent = child;
    }
    heap[parent] = tail;
    return top;
  }
}
