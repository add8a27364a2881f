/**
 * A min-heap of stage positions (indices into `pipeline.stages`): the stages
 * a scheduler must look at, smallest (first declared) first. Repeats are
 * kept; callers that care skip them.
 */
export class PositionHeap {
  private readonly heap: number[] = [];

  /** How many positions (repeats included) are in the heap. */
  get size(): number {
    return this.heap.length;
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

  /** Removes and returns the smallest position, or undefined when empty. */
  pop(): number | undefined {
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
