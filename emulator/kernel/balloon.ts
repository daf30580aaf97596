/**
 * The balloon driver: watches memory/target (KiB) in xenstore and moves the domain's
 * allocation towards it; exposes sysfs (class `memory` in 2.6.26, `xen_memory` after) and,
 * in 2.6.18-xen, /proc/xen/balloon. Early quirks are modelled: target_kb parsed as bytes
 * before 2.6.29, pages not given back to Xen before 2.6.29, no growth above the boot
 * allocation before 2.6.37.
 */
import type { Guest, Driver, Explanation } from './guest.ts';

/** The kernel's memparse: a number with an optional K/M/G suffix, in bytes. */
export function memparse(text: string): number {
  const m = /^\s*(\d+)\s*([KMG]?)/i.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * ({ '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'] ?? 1);
}

export class Balloon implements Driver {
  currentKiB: number;
  targetKiB: number;
  /** What Xen still counts as the domain's (differs when pages are not given back). */
  xenKiB: number;
  readonly sysfsDir?: string;

  constructor(private g: Guest) {
    this.currentKiB = this.targetKiB = this.xenKiB = g.env.memKiB;
    const k = g.kernel;
    g.drivers.push(this);
    const present = k.cap('linux.balloon');
    if (!present.has || !g.config.on('XEN_BALLOON')) return;
    g.printk(k.pvops ? 'xen_balloon: Initialising balloon driver.' : 'xen_mem: Initialising balloon driver.');
    const cls = String(k.cap('linux.balloon.sysfs-class').value ?? 'xen_memory');
    this.sysfsDir = `/sys/devices/system/${cls}/${cls}0`;
    const bytesBug = k.cap('linux.balloon.target_kb-in-bytes').has;
    const d = this.sysfsDir;
    g.addFile(`${d}/target_kb`, {
      read: () => String(this.targetKiB),
      write: (v) => {
        if (bytesBug) {
          const kib = Math.floor(memparse(v) / 1024);
          const bug = k.cap('linux.balloon.target_kb-in-bytes');
          g.trace.note(bug.fact);
          if (String(kib) !== v.trim())
            g.trace.quirk(`${k.displayName}'s target_kb took "${v.trim()}" as bytes, a target of ${kib} KiB`, bug.fact);
          this.setTarget(kib, 'sysfs target_kb');
        } else this.setTarget(Number.parseInt(v, 10), 'sysfs target_kb');
      },
    });
    if (!bytesBug && k.pvops)
      g.addFile(`${d}/target`, {
        read: () => String(this.targetKiB * 1024),
        write: (v) => this.setTarget(Math.floor(memparse(v) / 1024), 'sysfs target'),
      });
    g.addFile(`${d}/info/current_kb`, { read: () => String(this.currentKiB) });
    g.addFile(`${d}/info/low_kb`, { read: () => '0' });
    g.addFile(`${d}/info/high_kb`, { read: () => '0' });
    if (k.cap('linux.proc-xen-balloon').has) {
      g.addFile('/proc/xen/balloon', {
        read: () =>
          [
            `Current allocation: ${String(this.currentKiB).padStart(8)} kB`,
            `Requested target:   ${String(this.targetKiB).padStart(8)} kB`,
            `Low-mem balloon:    ${'0'.padStart(8)} kB`,
            `High-mem balloon:   ${'0'.padStart(8)} kB`,
            `Driver pages:       ${'0'.padStart(8)} kB`,
            `Xen hard limit:          ??? kB`,
          ].join('\n'),
        write: (v) => this.setTarget(Math.floor(memparse(v) / 1024), '/proc/xen/balloon'),
      });
    }
    g.env.store.watch(`${g.home}/memory/target`, 'balloon', (path) => {
      const v = g.env.store.tryRead(path);
      if (v !== undefined && v !== '') this.setTarget(Number(v), 'xenstore memory/target');
    });
  }

  private setTarget(kib: number, via: string): void {
    if (!Number.isFinite(kib)) return;
    this.targetKiB = kib;
    const g = this.g;
    const k = g.kernel;
    // The driver works in the background; the change is visible within about a second.
    g.env.timers.after(200, () => {
      const grow = k.cap('linux.balloon.grow');
      const limit = grow.has ? g.env.maxKiB : Math.min(g.env.maxKiB, g.env.memKiB);
      let to = Math.min(kib, limit);
      if (kib > limit) {
        g.trace.note(grow.fact);
        g.trace.quirk(`${k.displayName}'s balloon cannot reach ${kib} KiB (limit ${limit} KiB)`, grow.fact);
        g.printk(`xen_balloon: target ${kib} kB above what the balloon can reach (${limit} kB)`, 'debug');
      }
      to = Math.max(to, 8 * 1024);
      const releases = k.cap('linux.balloon.releases-pages');
      if (to < this.currentKiB && !releases.has) g.trace.note(releases.fact);
      else this.xenKiB = to;
      if (to !== this.currentKiB)
        g.trace.line(`[${g.env.role === 'dom0' ? 'dom0' : `d${g.env.domid}`}] balloon: ${via} -> current ${to} kB`);
      this.currentKiB = to;
    });
  }

  explain(path: string): Explanation | undefined {
    if (this.g.files.has(path)) return undefined;
    if (!/xen_memory|\/memory\/memory0|\/proc\/xen\/balloon/.test(path)) return undefined;
    const k = this.g.kernel;
    const present = k.cap('linux.balloon');
    if (!present.has) return { reason: `${k.displayName} has no balloon driver`, facts: [present.fact] };
    if (!this.g.config.on('XEN_BALLOON')) {
      const w = this.g.config.whyOff('XEN_BALLOON');
      return { reason: w.reason, facts: w.facts };
    }
    if (path.startsWith('/proc/xen/balloon')) {
      const d = k.cap('linux.proc-xen-balloon');
      return { reason: `${k.displayName} has no /proc/xen/balloon`, facts: [d.fact] };
    }
    const cls = k.cap('linux.balloon.sysfs-class');
    return { reason: `${k.displayName}'s balloon sysfs files are under ${this.sysfsDir}, not ${path}`, facts: [cls.fact] };
  }
}
