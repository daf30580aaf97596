/** Emulated time: steps that wait (`sleep`, `within`) advance it and fire what is due. */
export class Timers {
  now = 0;
  private queue: { at: number; fn: () => void }[] = [];

  after(ms: number, fn: () => void): void {
    this.queue.push({ at: this.now + ms, fn });
    this.queue.sort((a, b) => a.at - b.at);
  }

  advance(ms: number): void {
    const end = this.now + ms;
    while (this.queue.length && this.queue[0]!.at <= end) {
      const t = this.queue.shift()!;
      this.now = t.at;
      t.fn();
    }
    this.now = end;
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }
}
