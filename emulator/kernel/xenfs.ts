/**
 * /proc/xen: in 2.6.18-xen a procfs directory with files; in pv-ops (2.6.29+) an empty
 * mount point (CONFIG_XEN_COMPAT_XENFS) for the xenfs filesystem (CONFIG_XENFS), which
 * userspace must mount (the fstab line `none /proc/xen xenfs defaults 0 0`).
 */
import type { Fact } from '../knowledge/index.ts';
import { Refusal } from '../trace.ts';
import type { Driver, Explanation, Guest } from './guest.ts';

export const FSTAB_LINE = 'none /proc/xen xenfs defaults 0 0';

export const WIKI_XENFS: Fact = {
  text: `"The XENFS and XEN_COMPAT_XENFS config options are needed for /proc/xen support. They also require you to add a line to /etc/fstab: ${FSTAB_LINE}"`,
  source: 'XenParavirtOps wiki page (seed/000_0ab717d134ba4553.txt)',
  verified: true,
};

export class XenFs implements Driver {
  private mounted = false;

  constructor(private g: Guest) {
    const k = g.kernel;
    const dom0 = g.env.role === 'dom0';
    g.drivers.push(this);
    if (k.cap('linux.proc-xen-procfs').has) {
      for (const f of ['capabilities', 'xenbus', 'privcmd'].concat(dom0 ? ['xsd_kva', 'xsd_port'] : [])) {
        g.addFile(`/proc/xen/${f}`, { read: () => (f === 'capabilities' ? (dom0 ? 'control_d' : '') : '') });
      }
      return;
    }
    if (!k.cap('linux.xenfs').has || !g.config.on('XENFS')) return;
    if (g.config.on('XEN_COMPAT_XENFS')) g.dirs.add('/proc/xen');
    g.filesystems.set('xenfs', {
      module: g.config.value('XENFS') === 'm' ? 'xenfs' : undefined,
      mount: (at) => this.mount(at),
    });
    g.registerModule(
      'xenfs',
      'XENFS',
      () => {},
      () => {},
    );
  }

  private mount(at: string): void {
    const k = this.g.kernel;
    // /proc is procfs: nobody can mkdir there, so /proc/xen exists only as the kernel's mount point.
    if (at.startsWith('/proc/') && !this.g.dirs.has(at)) {
      const w = this.g.config.whyOff('XEN_COMPAT_XENFS');
      throw new Refusal(`mount: mount point ${at} does not exist: /proc/xen needs CONFIG_XEN_COMPAT_XENFS: ${w.reason}`, [
        ...w.facts,
        WIKI_XENFS,
      ]);
    }
    const dom0 = this.g.env.role === 'dom0';
    const files = ['xenbus'];
    const caps = k.cap('linux.xenfs.capabilities');
    this.g.trace.note(caps.fact);
    if (caps.has) files.push('capabilities');
    if (k.cap('linux.xenfs.privcmd').has) files.push('privcmd', ...(dom0 ? ['xsd_kva', 'xsd_port'] : []));
    for (const f of files) this.g.addFile(`${at}/${f}`, { read: () => (f === 'capabilities' ? (dom0 ? 'control_d' : '') : '') });
    this.mounted = true;
  }

  explain(path: string): Explanation | undefined {
    if (path !== 'fs:xenfs' && !path.startsWith('/proc/xen')) return undefined;
    const g = this.g;
    const k = g.kernel;
    if (k.cap('linux.proc-xen-procfs').has) {
      const f = k.cap('linux.xenfs');
      return { reason: `${k.displayName} has no xenfs: its /proc/xen is procfs`, facts: [k.cap('linux.proc-xen-procfs').fact, f.fact] };
    }
    const xenfs = k.cap('linux.xenfs');
    if (!xenfs.has) return { reason: `${k.displayName} has no xenfs and no /proc/xen`, facts: [xenfs.fact, WIKI_XENFS] };
    for (const sym of ['XENFS', 'XEN_COMPAT_XENFS']) {
      if (!g.config.on(sym)) {
        const w = g.config.whyOff(sym);
        return { reason: `/proc/xen needs CONFIG_XENFS and CONFIG_XEN_COMPAT_XENFS: ${w.reason}`, facts: [...w.facts, WIKI_XENFS] };
      }
    }
    if (!this.mounted) {
      return {
        reason: `/proc/xen is an empty mount point until xenfs is mounted on it: add \`${FSTAB_LINE}\` to /etc/fstab (or mount -t xenfs xenfs /proc/xen)`,
        facts: [xenfs.fact, WIKI_XENFS],
      };
    }
    if (path.endsWith('/capabilities')) {
      const c = k.cap('linux.xenfs.capabilities');
      return { reason: `${k.displayName}'s xenfs has no capabilities file`, facts: [c.fact] };
    }
    if (path.endsWith('/privcmd') || path.includes('/xsd_')) {
      const c = k.cap('linux.xenfs.privcmd');
      return { reason: `${k.displayName}'s xenfs has no ${path.slice(path.lastIndexOf('/') + 1)}`, facts: [c.fact] };
    }
    return undefined;
  }
}
