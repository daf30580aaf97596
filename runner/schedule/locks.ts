/**
 * Named locks for resources that several groups may want at once but only one may hold:
 * one serial console, one loop device, one KVM slot. A backend takes a lock around the part
 * of its work that touches the resource; the scheduler's concurrency stays as wide as the
 * rest allows. Waiters are served in arrival order; a waiter whose signal aborts leaves the
 * line (so a timed-out cell never sits on a lock it will not use).
 */
export class NamedLocks {
  private readonly held = new Map<string, { capacity: number; holders: number; waiting: (() => void)[] }>();

  /** `capacity` > 1 turns the lock into a semaphore (e.g. two USB ports). */
  async run<T>(name: string, signal: AbortSignal | undefined, fn: () => Promise<T> | T, capacity = 1): Promise<T> {
    const release = await this.acquire(name, signal, capacity);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  acquire(name: string, signal?: AbortSignal, capacity = 1): Promise<() => void> {
    let lock = this.held.get(name);
    if (!lock) this.held.set(name, (lock = { capacity, holders: 0, waiting: [] }));
    const l = lock;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      l.holders--;
      const next = l.waiting.shift();
      if (next) next();
      else if (l.holders === 0) this.held.delete(name);
    };
    if (l.holders < l.capacity) {
      l.holders++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        l.holders++;
        resolve(release);
      };
      const onAbort = (): void => {
        const i = l.waiting.indexOf(grant);
        if (i >= 0) l.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      l.waiting.push(grant);
    });
  }

  /** Names currently held or waited for (for tests and diagnostics). */
  names(): string[] {
    return [...this.held.keys()];
  }
}

/** The locks every backend in this process shares: `locks.run('serial:ttyS0', ctx.signal, ...)`. */
export const locks = new NamedLocks();
