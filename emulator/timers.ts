/** Emulated time: steps that wait (`sleep`, `within`) advance it and fire what is due. */
export class Timers {
  now = 0;
  private queue: { at: number; fn: () => void }[] = [];

  after(ms: number, fn: () => void): void {
    this.queue.push({ at: this.now + ms, fn });
    this.queue.sort((a, b) => a.at - b.at);
  }

  /** Fire everything due up to `end`, in order; the clock then reads `end`. */
  advanceTo(end: number): void {
    while (this.queue.length && this.queue[0]!.at <= end) {
      const t = this.queue.shift()!;
      this.now = t.at;
      t.fn();
    }
    this.now = Math.max(this.now, end);
  }

  advance(ms: number): void {
    this.advanceTo(this.now + ms);
  }

  /** When the next timer fires; undefined when none is pending (nothing will change by itself). */
  get nextAt(): number | undefined {
    return this.queue[0]?.at;
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }
}
