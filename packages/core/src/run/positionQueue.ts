import { PositionHeap } from './positionHeap';

/**
 * The stage positions one scheduling pass visits, in declaration order,
 * without walking every stage. Pushing a position twice is allowed; `pop`
 * returns it once as long as it is still in the queue.
 */
export class PositionQueue {
  private readonly heap = new PositionHeap();
  private last = -1;

  /** Whether nothing is left to pop. */
  get isEmpty(): boolean {
    return this.heap.size === 0;
  }

  /** Adds a position. */
  push(position: number): void {
    this.heap.push(position);
  }

  /**
   * The smallest position not yet returned, or undefined when empty. Copies
   * of the position just returned are skipped, which removes every repeat as
   * long as nothing smaller than it is pushed afterwards (a pass only adds
   * positions after the one it is looking at).
   */
  pop(): number | undefined {
    for (;;) {
      const top = this.heap.pop();
      // An empty heap gives undefined, which is never the last position returned.
      if (top !== this.last) {
        if (top !== undefined) this.last = top;
        return top;
      }
    }
  }
}
