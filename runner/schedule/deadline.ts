import { RunStop, seconds } from './stop.ts';

/**
 * The signal one backend call runs under: it fires when the run stops (Ctrl-C, --run-timeout)
 * or when the call's own time is up (--timeout). Firing asks the backend to stop; `race`
 * then waits `graceMs` more for it to do so, and after that gives up on the call, so a
 * backend that ignores its signal cannot hold the run (its work is abandoned, its cells
 * broken). p-queue's own timeout only rejects the task's promise, which is why it is not used.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer?: ReturnType<typeof setTimeout>;
  private graceTimer?: ReturnType<typeof setTimeout>;
  private readonly onParent: () => void;
  /** Races in progress, woken with GONE `graceMs` after the signal fires. */
  private readonly waiters = new Set<(v: typeof GONE) => void>();
  private gone = false;
  constructor(
    private readonly parent: AbortSignal,
    readonly timeoutMs: number | undefined,
    graceMs: number,
  ) {
    this.controller.signal.addEventListener(
      'abort',
      () => {
        this.graceTimer = setTimeout(() => {
          this.gone = true;
          for (const w of this.waiters) w(GONE);
          this.waiters.clear();
        }, graceMs);
      },
      { once: true },
    );
    this.onParent = () => this.controller.abort(parent.reason);
    if (parent.aborted) this.onParent();
    else parent.addEventListener('abort', this.onParent, { once: true });
    if (timeoutMs !== undefined && !parent.aborted) {
      this.timer = setTimeout(
        () => this.controller.abort(new RunStop('timeout', `timed out after ${seconds(timeoutMs)} (--timeout)`)),
        timeoutMs,
      );
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The value of `p`, or GONE when the signal fired and the grace period ran out first. */
  race<T>(p: Promise<T>): Promise<T | typeof GONE> {
    if (this.gone) return Promise.resolve(GONE);
    // One waiter per race in progress, dropped when it settles: a deadline shared by every
    // cell of a run must not collect a reaction per cell (Promise.race on one long-lived
    // promise would, and memory would grow with the matrix).
    return new Promise((resolve, reject) => {
      const wake = (v: typeof GONE) => resolve(v);
      this.waiters.add(wake);
      p.then(
        (v) => {
          this.waiters.delete(wake);
          resolve(v);
        },
        (e: unknown) => {
          this.waiters.delete(wake);
          reject(e);
        },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.graceTimer);
    this.parent.removeEventListener('abort', this.onParent);
  }
}

export const GONE: unique symbol = Symbol('gone');
