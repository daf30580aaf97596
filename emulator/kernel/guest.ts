/**
 * A running kernel: its files (/sys, /proc), kernel log, modules, and the xenbus drivers
 * that talk to the toolstack through xenstore. Drivers live in their own files and plug in
 * here; each can explain why a file the scenario asked for is missing.
 */
import type { Arch } from '../../domain/axes.ts';
import type { Fact } from '../knowledge/index.ts';
import { Refusal, type Trace, because } from '../trace.ts';
import type { XenStore } from '../xenstore/store.ts';
import type { Hypervisor } from '../xen/hypervisor.ts';
import type { Timers } from '../timers.ts';
import type { KernelConfig } from './config.ts';
import type { KernelModel } from './model.ts';

export interface FileNode {
  read(): string;
  write?(value: string): void;
}

export interface Explanation {
  reason: string;
  facts: Fact[];
}

export interface Driver {
  /** Why `path` does not exist, if this driver knows; undefined otherwise. */
  explain?(path: string): Explanation | undefined;
}

export interface GuestEnv {
  store: XenStore;
  hv?: Hypervisor;
  trace: Trace;
  timers: Timers;
  domid: number;
  role: 'dom0' | 'domU';
  arch: Arch;
  memKiB: number;
  maxKiB: number;
  vcpus: number;
  maxVcpus: number;
  cmdline: string;
}

export type ModuleState = 'builtin' | 'loaded' | 'available';

export class Guest {
  readonly files = new Map<string, FileNode>();
  /** Directories that exist although empty (mount points). */
  readonly dirs = new Set<string>();
  readonly log: string[] = [];
  readonly modules = new Map<string, ModuleState>();
  readonly drivers: Driver[] = [];
  readonly mounts = new Map<string, string>();
  /** Filesystem types a mount can use, with the module that provides them. */
  readonly filesystems = new Map<string, { module?: string; mount(at: string): void }>();
  private unloadHooks = new Map<string, () => void>();
  private loadHooks = new Map<string, () => void>();
  private holders = new Map<string, () => Explanation | undefined>();
  readonly home: string;

  constructor(
    readonly kernel: KernelModel,
    readonly config: KernelConfig,
    readonly env: GuestEnv,
  ) {
    this.home = `/local/domain/${env.domid}`;
  }

  get trace(): Trace {
    return this.env.trace;
  }

  /** The kernel log keeps every level (dmesg); `level` documents what the real printk used. */
  printk(text: string, _level: 'debug' | 'info' | 'warning' = 'info'): void {
    this.log.push(text);
    this.env.trace.line(`[${this.env.role === 'dom0' ? 'dom0' : `d${this.env.domid}`}] ${text}`);
  }

  addFile(path: string, node: FileNode): void {
    this.files.set(path, node);
  }

  removeUnder(prefix: string): void {
    for (const p of [...this.files.keys()]) if (p === prefix || p.startsWith(`${prefix}/`)) this.files.delete(p);
    for (const d of [...this.dirs]) if (d === prefix || d.startsWith(`${prefix}/`)) this.dirs.delete(d);
  }

  exists(path: string): boolean {
    if (this.files.has(path) || this.dirs.has(path)) return true;
    const pre = `${path}/`;
    for (const p of this.files.keys()) if (p.startsWith(pre)) return true;
    return false;
  }

  read(path: string): string | undefined {
    return this.files.get(path)?.read();
  }

  explain(path: string): Explanation {
    for (const d of this.drivers) {
      const e = d.explain?.(path);
      if (e) return e;
    }
    return { reason: `${path} does not exist in ${this.kernel.displayName}`, facts: [] };
  }

  /** A driver's explanation about an existing file, when it has one (e.g. hotplug ignored). */
  explainKnown(path: string): Explanation | undefined {
    for (const d of this.drivers) {
      const e = d.explain?.(path);
      if (e) return e;
    }
    return undefined;
  }

  write(path: string, value: string): void {
    const f = this.files.get(path);
    if (!f) {
      const e = this.explain(path);
      throw new Refusal(`cannot write ${path}: ${e.reason}`, e.facts);
    }
    if (!f.write) throw new Refusal(`cannot write ${path}: Permission denied (read-only)`, []);
    f.write(value);
  }

  // --- modules ---

  /**
   * A driver built as y is builtin, as m is a loadable module, else absent. `inUse` says
   * what holds a reference on the module right now (the kernel's module refcount), if
   * anything: delete_module then fails and the module stays.
   */
  registerModule(name: string, symbol: string, onLoad: () => void, onUnload: () => void, inUse?: () => Explanation | undefined): void {
    const v = this.config.value(symbol);
    if (v === 'y') {
      this.modules.set(name, 'builtin');
      onLoad();
    } else if (v === 'm') this.modules.set(name, 'available');
    this.loadHooks.set(name, onLoad);
    this.unloadHooks.set(name, onUnload);
    if (inUse) this.holders.set(name, inUse);
  }

  loadModule(name: string): void {
    const s = this.modules.get(name);
    if (s === undefined) throw new Refusal(`modprobe: FATAL: Module ${name} not found in ${this.kernel.displayName}`, []);
    if (s !== 'available') return;
    this.modules.set(name, 'loaded');
    this.loadHooks.get(name)!();
  }

  unloadModule(name: string): void {
    const s = this.modules.get(name);
    if (s === undefined) throw new Refusal(`rmmod: ERROR: Module ${name} is not currently loaded`, []);
    if (s === 'builtin') throw new Refusal(`rmmod: ERROR: Module ${name} is builtin`, []);
    if (s === 'available') throw new Refusal(`rmmod: ERROR: Module ${name} is not currently loaded`, []);
    // The refcount is not zero: delete_module answers EAGAIN (O_NONBLOCK, as rmmod calls it).
    const held = this.holders.get(name)?.();
    if (held)
      throw new Refusal(because(`rmmod: ERROR: Module ${name.replace(/-/g, '_')} is in use (${held.reason})`, ...held.facts), held.facts);
    this.modules.set(name, 'available');
    this.unloadHooks.get(name)!();
  }

  mount(fs: string, at: string): void {
    const type = this.filesystems.get(fs);
    if (!type)
      throw new Refusal(
        because(`mount: unknown filesystem type '${fs}' in ${this.kernel.displayName}`, ...this.explainFs(fs)),
        this.explainFs(fs),
      );
    if (type.module) this.loadModule(type.module);
    type.mount(at);
    this.mounts.set(at, fs);
  }

  private explainFs(fs: string): Fact[] {
    for (const d of this.drivers) {
      const e = d.explain?.(`fs:${fs}`);
      if (e) return e.facts;
    }
    return [];
  }
}

/** "0-1", "0", "0,2-3": the kernel's cpumask list format. */
export function cpuList(cpus: Iterable<number>): string {
  const s = [...cpus].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
