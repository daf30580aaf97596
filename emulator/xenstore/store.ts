/**
 * An in-memory xenstore: a tree of paths with string values, watches and transactions,
 * through which the toolstack and the guests talk, as they do with xenstored.
 * Watches fire for the watched path and anything below it, with the watch's token, once
 * when registered (as xenstored does) and on every later write or removal.
 */
export type WatchCallback = (path: string, token: string) => void;

interface Watch {
  path: string;
  token: string;
  cb: WatchCallback;
}

export class XenStoreError extends Error {
  constructor(
    readonly errno: 'ENOENT' | 'EINVAL' | 'EAGAIN',
    path: string,
  ) {
    super(`xenstore ${errno}: ${path}`);
  }
}

function norm(path: string): string {
  if (!path.startsWith('/')) throw new XenStoreError('EINVAL', path);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export class XenStore {
  private nodes = new Map<string, string>([['/', '']]);
  private children = new Map<string, Set<string>>();
  private watches: Watch[] = [];
  private generation = 0;
  private pending: { path: string }[] = [];
  private firing = false;

  read(path: string): string {
    const v = this.nodes.get(norm(path));
    if (v === undefined) throw new XenStoreError('ENOENT', path);
    return v;
  }

  tryRead(path: string): string | undefined {
    return this.nodes.get(norm(path));
  }

  exists(path: string): boolean {
    return this.nodes.has(norm(path));
  }

  /** Writes create missing parents with empty values, as xenstored does. */
  write(path: string, value: string): void {
    const p = norm(path);
    this.ensure(p);
    this.nodes.set(p, value);
    this.generation++;
    this.changed(p);
  }

  directory(path: string): string[] {
    const p = norm(path);
    if (!this.nodes.has(p)) throw new XenStoreError('ENOENT', path);
    return [...(this.children.get(p) ?? [])].sort();
  }

  rm(path: string): void {
    const p = norm(path);
    if (!this.nodes.has(p)) throw new XenStoreError('ENOENT', path);
    const drop = (q: string) => {
      for (const c of this.children.get(q) ?? []) drop(q === '/' ? `/${c}` : `${q}/${c}`);
      this.children.delete(q);
      this.nodes.delete(q);
    };
    drop(p);
    this.children.get(parentOf(p))?.delete(p.slice(p.lastIndexOf('/') + 1));
    this.generation++;
    this.changed(p);
  }

  watch(path: string, token: string, cb: WatchCallback): void {
    const w = { path: norm(path), token, cb };
    this.watches.push(w);
    cb(w.path, token);
  }

  unwatch(path: string, token: string): void {
    this.watches = this.watches.filter((w) => !(w.path === norm(path) && w.token === token));
  }

  /**
   * Run `body` as one transaction: its writes become visible together and fire watches
   * once it commits. A conflicting commit (another writer in between) gets EAGAIN and is
   * retried, as libxl's loops do.
   */
  transaction<T>(body: (tx: Transaction) => T): T {
    for (;;) {
      const tx = new Transaction(this, this.generation);
      const result = body(tx);
      if (tx.commit()) return result;
    }
  }

  /** @internal */
  applyTransaction(start: number, ops: TxOp[]): boolean {
    if (this.generation !== start) return false;
    for (const op of ops) {
      const p = norm(op.path);
      if (op.kind === 'write') {
        this.ensure(p);
        this.nodes.set(p, op.value!);
      } else if (this.nodes.has(p)) {
        this.rm(p);
        continue;
      }
      this.generation++;
      this.changed(p);
    }
    return true;
  }

  /** Create the missing ancestors of `p`, stopping at the first one that exists. */
  private ensure(p: string): void {
    if (this.nodes.has(p)) return;
    let child = p;
    while (child !== '/') {
      const cut = child.lastIndexOf('/');
      const parent = cut <= 0 ? '/' : child.slice(0, cut);
      let set = this.children.get(parent);
      if (!set) this.children.set(parent, (set = new Set()));
      set.add(child.slice(cut + 1));
      if (this.nodes.has(parent)) return;
      this.nodes.set(parent, '');
      child = parent;
    }
  }

  /** Fire every watch on the path or an ancestor of it; callbacks may write (queued, not nested). */
  private changed(p: string): void {
    this.pending.push({ path: p });
    if (this.firing) return;
    this.firing = true;
    try {
      while (this.pending.length) {
        const { path } = this.pending.shift()!;
        const watches = this.watches;
        for (let i = 0, n = watches.length; i < n; i++) {
          const w = watches[i]!;
          if (path === w.path || (path.startsWith(w.path) && (w.path === '/' || path.charCodeAt(w.path.length) === 47)))
            w.cb(path, w.token);
        }
      }
    } finally {
      this.firing = false;
    }
  }
}

interface TxOp {
  kind: 'write' | 'rm';
  path: string;
  value?: string;
}

export class Transaction {
  private ops: TxOp[] = [];
  constructor(
    private store: XenStore,
    private start: number,
  ) {}

  read(path: string): string | undefined {
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i]!;
      if (op.path === path) return op.kind === 'write' ? op.value : undefined;
    }
    return this.store.tryRead(path);
  }

  write(path: string, value: string): void {
    this.ops.push({ kind: 'write', path, value });
  }

  rm(path: string): void {
    this.ops.push({ kind: 'rm', path });
  }

  /** @internal */
  commit(): boolean {
    return this.store.applyTransaction(this.start, this.ops);
  }
}
