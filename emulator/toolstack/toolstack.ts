/**
 * The toolstack in dom0: xend/xm or xl as the release had them. Its domain builder
 * (libxc) loads PV kernels (ELF with notes or __xen_guest, gzipped ELF, bzImage per payload
 * compression, never an uncompressed payload); it sets memory targets and vCPU
 * availability through xenstore and hot-plugs devices by writing backend/frontend
 * directories. It prints what xm/xl and libxc print.
 */
import type { Arch } from '../../domain/axes.ts';
import type { ImageInfo } from '../images/types.ts';
import type { Guest } from '../kernel/guest.ts';
import type { Trace } from '../trace.ts';
import type { XenBuild } from '../xen/build.ts';
import type { GrantTable } from '../xen/grant-table.ts';
import { hostFor, type Host } from '../xen/host.ts';
import { readGuestMetadata } from '../xen/libelf.ts';
import type { XenStore } from '../xenstore/store.ts';
import { forceBackendDown, startBackend } from './backend.ts';

export interface DomainConfig {
  name: string;
  memKiB: number;
  maxKiB: number;
  vcpus: number;
  maxVcpus: number;
}

/** xvdb -> 51728 (major 202, 16 minors per disk), as the toolstack numbers it. */
export function vdevNumber(vdev: string): number {
  const m = /^(?:xvd|sd|hd)([a-z])$/.exec(vdev);
  return m ? 202 * 256 + (m[1]!.charCodeAt(0) - 97) * 16 : Number(vdev);
}

export class Toolstack {
  readonly cli: 'xm' | 'xl';
  private maxKiB = new Map<number, number>();
  private nextVif = new Map<number, number>();

  constructor(
    private build: XenBuild,
    private store: XenStore,
    private grants: GrantTable,
    private trace: Trace,
  ) {
    this.cli = build.toolstack === 'xend' ? 'xm' : 'xl';
    store.write('/local/domain/0/name', 'Domain-0');
    store.write('/local/domain/0/domid', '0');
  }

  /** The selected toolstack must exist in this release. */
  ensure(): void {
    const b = this.build;
    const cap = b.cap(b.toolstack === 'xend' ? 'tools.xend' : 'tools.xl');
    this.trace.note(b.toolstackFact);
    if (!this.trace.decide(cap)) this.trace.refuse(`${b.name} has no ${b.toolstack}`, cap.fact, b.toolstackFact);
  }

  private libxcError(fn: string, msg: string, file = 'xc_dom_core.c'): void {
    this.trace.line(`xc: error: panic: ${file}: ${fn}: ${msg}: Invalid kernel`);
  }

  private failCreate(): void {
    this.trace.line(
      this.cli === 'xl'
        ? 'libxl: error: libxl_dom.c: libxl__build_pv: xc_dom_parse_image failed'
        : "Error: (1, 'Internal error', 'xc_dom_parse_image failed')",
    );
  }

  /** Create a PV domU from `image`, or refuse as libxc would. */
  createDomU(image: ImageInfo, arch: Arch, kernelName: string, cfg: DomainConfig, domid: number): Host {
    const b = this.build;
    const t = this.trace;
    this.ensure();
    t.line(this.cli === 'xl' ? `Parsing config from /etc/xen/${cfg.name}.cfg` : `Using config file "/etc/xen/${cfg.name}.cfg".`);
    const subject = `the ${b.name} domain builder cannot load ${kernelName} as a PV domU`;
    let elf = image.elf;
    if (image.kind === 'bzImage') {
      const loader = b.cap('tools.domu.bzimage');
      if (!t.decide(loader)) {
        this.libxcError('xc_dom_find_loader', 'no loader found');
        this.failCreate();
        t.refuse(`the ${b.name} tools cannot load a bzImage domU`, loader.fact);
      }
      const bz = image.bzImage!;
      const min = b.cap('tools.domu.bzimage.protocol');
      t.decide(min);
      t.note(min.fact);
      if (bz.protocol < String(min.value)) {
        this.libxcError('xc_dom_find_loader', 'no loader found');
        this.failCreate();
        t.refuse(
          `the ${b.name} tools cannot load ${kernelName}'s bzImage: its boot protocol is ${bz.protocol}, below ${min.value}`,
          min.fact,
        );
      }
      const c = bz.compression === 'unknown' ? 'none' : bz.compression;
      const dec = b.cap(`tools.domu.payload.${c}`);
      if (!t.decide(dec)) {
        this.libxcError('xc_dom_probe_bzimage_kernel', 'unknown compression format', 'xc_dom_bzimageloader.c');
        this.failCreate();
        t.refuse(`the ${b.name} tools cannot decompress a ${c === 'none' ? 'uncompressed' : c} bzImage payload`, dec.fact);
      }
      elf = bz.payload;
    } else if (image.kind === 'gzip-elf') {
      t.decide(b.cap('tools.domu.gunzip'));
    }
    if (!elf) return t.refuse(`${subject}: the image carries no ELF kernel`);
    const meta = readGuestMetadata(
      b,
      elf,
      subject,
      'tools.elf-notes',
      t,
      'xc_linux_build: Not a Xen-ELF image: No __xen_guest section found.',
    );
    const file = String(b.cap('tools.libxc.path').value ?? 'xc_dom_boot.c');
    const host = hostFor(
      b,
      arch,
      meta.pae,
      subject,
      t,
      (type) => `xc: error: panic: ${file}:86: xc_dom_compat_check: guest type ${type} not supported by xen kernel, sorry: Invalid kernel`,
    );

    const home = `/local/domain/${domid}`;
    this.store.transaction((tx) => {
      tx.write(`${home}/name`, cfg.name);
      tx.write(`${home}/domid`, String(domid));
      tx.write(`${home}/memory/static-max`, String(cfg.maxKiB));
      tx.write(`${home}/memory/target`, String(cfg.memKiB));
      for (let i = 0; i < cfg.maxVcpus; i++) tx.write(`${home}/cpu/${i}/availability`, i < cfg.vcpus ? 'online' : 'offline');
      tx.write(`${home}/console/ring-ref`, '1');
    });
    this.maxKiB.set(domid, cfg.maxKiB);
    if (this.cli === 'xm') t.line(`Started domain ${cfg.name} (id=${domid})`);
    return host;
  }

  /** Set up dom0's own xenstore keys, as xen-init-dom0 / xend do at start. */
  registerDom0(memKiB: number, maxKiB: number, vcpus: number, maxVcpus: number): void {
    this.store.write('/local/domain/0/memory/static-max', String(maxKiB));
    this.store.write('/local/domain/0/memory/target', String(memKiB));
    for (let i = 0; i < maxVcpus; i++) this.store.write(`/local/domain/0/cpu/${i}/availability`, i < vcpus ? 'online' : 'offline');
    this.maxKiB.set(0, maxKiB);
  }

  /** `xm mem-set` / `xl mem-set`: a new balloon target in xenstore (KiB). */
  memSet(domid: number, kib: number, dom0?: Guest): void {
    const b = this.build;
    const t = this.trace;
    this.ensure();
    t.line(`# ${this.cli} mem-set ${domid} ${Math.round(kib / 1024)}m`);
    const max = this.maxKiB.get(domid) ?? Infinity;
    // Above the static maximum: refused by xend from 3.1 and by xl from 4.1, written before.
    const guard = b.cap(this.cli === 'xl' ? 'tools.xl.maxmem' : 'tools.xend.maxmem');
    if (kib > max && t.decide(guard)) {
      t.line(
        this.cli === 'xl'
          ? `libxl: error: libxl_mem.c:278:libxl_set_memory_target: Domain ${domid}:memory_dynamic_max must be less than or equal to memory_static_max`
          : 'Error: memory_dynamic_max must be less than or equal to memory_static_max',
      );
      t.refuse(`${this.cli} mem-set ${domid}: the target ${kib} KiB is above the domain's maximum ${max} KiB`, guard.fact);
    }
    if (this.cli === 'xm' && domid === 0 && dom0) this.xendDom0Stats(dom0);
    t.note(b.cap('tools.memory-target').fact);
    this.store.write(`/local/domain/${domid}/memory/target`, String(kib));
  }

  /** xend reads dom0's balloon statistics: /proc/xen/balloon, and from 3.4 the sysfs files. */
  private xendDom0Stats(dom0: Guest): void {
    const b = this.build;
    const t = this.trace;
    t.note(b.cap('tools.xend.dom0-balloon-stats').fact);
    if (dom0.read('/proc/xen/balloon') !== undefined) return;
    const sysfs = b.cap('tools.xend.balloon-sysfs');
    if (t.decide(sysfs) && dom0.read('/sys/devices/system/xen_memory/xen_memory0/info/current_kb') !== undefined) return;
    t.line("Error: [Errno 2] No such file or directory: '/proc/xen/balloon'");
    if (sysfs.has) {
      const e = dom0.explain('/sys/devices/system/xen_memory/xen_memory0/info/current_kb');
      t.refuse(
        `xend (${b.name}) cannot read dom0's balloon statistics from /proc/xen/balloon or sysfs: ${e.reason}`,
        sysfs.fact,
        ...e.facts,
      );
    }
    t.refuse(
      `xend (${b.name}) cannot balloon a pv-ops dom0, which has no /proc/xen/balloon`,
      sysfs.fact,
      dom0.kernel.cap('linux.proc-xen-balloon').fact,
    );
  }

  /** `xm vcpu-set` / `xl vcpu-set`: cpu/N/availability for every possible vCPU. */
  vcpuSet(domid: number, count: number, maxVcpus: number): void {
    const b = this.build;
    const t = this.trace;
    this.ensure();
    if (this.cli === 'xl') {
      const cap = b.cap('tools.xl.vcpu-set');
      if (!t.decide(cap)) {
        t.line("command not implemented: 'vcpu-set'");
        t.refuse(`xl in ${b.name} cannot set vCPUs`, cap.fact);
      }
    }
    t.line(`# ${this.cli} vcpu-set ${domid} ${count}`);
    if (count > maxVcpus) {
      t.line(`error: requested vcpus (${count}) greater than maxvcpus (${maxVcpus})`);
      t.refuse(`${this.cli} vcpu-set: ${count} is more than the domain's ${maxVcpus} vCPUs`);
    }
    t.note(b.cap('tools.vcpu-availability').fact);
    const write = (w: (p: string, v: string) => void) => {
      for (let i = 0; i < maxVcpus; i++) w(`/local/domain/${domid}/cpu/${i}/availability`, i < count ? 'online' : 'offline');
    };
    if (this.cli === 'xl') this.store.transaction((tx) => write((p, v) => tx.write(p, v)));
    else write((p, v) => this.store.write(p, v));
  }

  attach(domid: number, kind: 'vbd' | 'vif', vdev?: string): void {
    this.ensure();
    const id = kind === 'vbd' ? String(vdevNumber(vdev ?? 'xvdb')) : String(this.nextVif.get(domid) ?? 0);
    if (kind === 'vif') this.nextVif.set(domid, Number(id) + 1);
    this.trace.line(
      `# ${this.cli} ${kind === 'vbd' ? 'block-attach' : 'network-attach'} ${domid}${kind === 'vbd' ? ` file:/var/lib/xen/${vdev ?? 'xvdb'}.img ${vdev ?? 'xvdb'} w` : ''}`,
    );
    const be = `/local/domain/0/backend/${kind}/${domid}/${id}`;
    const fe = `/local/domain/${domid}/device/${kind}/${id}`;
    startBackend(this.store, this.grants, be, fe);
    this.store.transaction((tx) => {
      tx.write(`${be}/frontend`, fe);
      tx.write(`${be}/frontend-id`, String(domid));
      tx.write(`${be}/online`, '1');
      tx.write(`${be}/state`, '1');
      tx.write(`${fe}/backend`, be);
      tx.write(`${fe}/backend-id`, '0');
      if (kind === 'vbd') tx.write(`${fe}/virtual-device`, id);
      tx.write(`${fe}/state`, '1');
    });
  }

  detach(domid: number, kind: 'vbd' | 'vif', vdev: string | undefined, force: boolean): void {
    this.ensure();
    const id = kind === 'vbd' ? String(vdevNumber(vdev ?? 'xvdb')) : String(Math.max(0, (this.nextVif.get(domid) ?? 1) - 1));
    const be = `/local/domain/0/backend/${kind}/${domid}/${id}`;
    const fe = `/local/domain/${domid}/device/${kind}/${id}`;
    this.trace.line(
      `# ${this.cli} ${kind === 'vbd' ? 'block-detach' : 'network-detach'} ${domid} ${kind === 'vbd' ? (vdev ?? 'xvdb') : id}${force ? ' --force' : ''}`,
    );
    if (!this.store.exists(be)) this.trace.refuse(`${this.cli}: ${kind} ${vdev ?? id} is not attached to domain ${domid}`);
    if (force) forceBackendDown(this.store, this.grants, fe);
    else {
      this.store.write(`${be}/online`, '0');
      this.store.write(`${be}/state`, '5');
    }
    if (!force && this.store.tryRead(`${be}/state`) !== '6') {
      this.trace.line(`libxl: error: timed out waiting for ${kind} ${id} of domain ${domid} to close`);
      this.trace.refuse(`the guest did not close ${kind} ${vdev ?? id}: its frontend did not answer the backend's Closing state`);
    }
    this.store.rm(fe);
    this.store.rm(be);
  }
}
