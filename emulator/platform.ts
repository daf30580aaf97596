/**
 * One cell's world: the hypervisor, xenstore, grant tables, toolstack and the guest under
 * test, wired together as they are on a real host. Created per run from the shared,
 * prepared models; everything here is cheap and synchronous.
 */
import type { Arch, Compression, Format } from '../domain/axes.ts';
import { Guest } from './kernel/guest.ts';
import { Balloon } from './kernel/balloon.ts';
import { CpuHotplug } from './kernel/cpu-hotplug.ts';
import { XenFs } from './kernel/xenfs.ts';
import { Frontends } from './kernel/frontends.ts';
import { imageFor, type GuestImage } from './kernel/image.ts';
import type { KernelModel } from './kernel/model.ts';
import { Refusal, Trace } from './trace.ts';
import { Timers } from './timers.ts';
import { XenStore } from './xenstore/store.ts';
import { GrantTable } from './xen/grant-table.ts';
import { Hypervisor } from './xen/hypervisor.ts';
import type { XenBuild } from './xen/build.ts';
import { Toolstack } from './toolstack/toolstack.ts';

export interface CellSetup {
  xen?: XenBuild;
  kernel: KernelModel;
  format: Format;
  compression?: Compression;
  arch: Arch;
  role: 'dom0' | 'domU';
}

export interface BootArgs {
  native?: boolean;
  cmdline?: string;
  xen?: string;
  memKiB?: number;
  maxKiB?: number;
  vcpus?: number;
  maxVcpus?: number;
}

const DOMU_ID = 1;

export class Platform {
  readonly trace = new Trace();
  readonly timers = new Timers();
  readonly store = new XenStore();
  readonly grants = new GrantTable();
  hv?: Hypervisor;
  toolstack?: Toolstack;
  guest?: Guest;
  frontends?: Frontends;
  image?: GuestImage;
  native = false;
  domid = 0;
  maxVcpus = 1;

  constructor(readonly setup: CellSetup) {}

  get name(): string {
    return this.setup.kernel.displayName;
  }

  boot(args: BootArgs): void {
    const { kernel, arch, role, format, compression } = this.setup;
    const t = this.trace;
    const cfg = kernel.config(arch);
    this.image = imageFor(kernel, arch, format, compression, cfg, t);
    if (this.image.note) t.line(`# ${this.image.note}`);
    const cmdline = [kernel.profile.cmdline, args.cmdline].filter(Boolean).join(' ');
    const memKiB = args.memKiB ?? (role === 'dom0' ? 512 * 1024 : 128 * 1024);
    const maxKiB = Math.max(args.maxKiB ?? memKiB, memKiB);
    const vcpus = args.vcpus ?? 1;
    this.maxVcpus = Math.max(args.maxVcpus ?? vcpus, vcpus);

    if (args.native || !this.setup.xen) {
      this.native = true;
      const nat = kernel.cap('linux.native');
      if (!t.decide(nat)) t.refuse(`${this.name} cannot boot on bare metal`, nat.fact);
      this.guest = new Guest(kernel, cfg, {
        store: this.store,
        trace: t,
        timers: this.timers,
        domid: 0,
        role: 'dom0',
        arch,
        memKiB,
        maxKiB,
        vcpus,
        maxVcpus: this.maxVcpus,
        cmdline,
      });
      this.kernelBanner(this.guest, 'bare hardware');
      new CpuHotplug(this.guest);
      return;
    }

    const xen = this.setup.xen;
    // Does this build of the kernel have PV support at all?
    const pvSym = kernel.pvSymbol(arch);
    if (!cfg.on(pvSym)) {
      const w = cfg.whyOff(cfg.on('XEN') ? pvSym : 'XEN');
      t.line(
        role === 'dom0'
          ? '(XEN) ERROR: Xen will only load images built for the generic loader or Linux images'
          : 'xc: error: panic: xc_dom_core.c: xc_dom_find_loader: no loader found: Invalid kernel',
      );
      for (const f of w.facts) t.note(f);
      throw new Refusal(`${this.name} built for ${arch} cannot run as a Xen PV guest: ${w.reason}`, [...t.facts]);
    }
    if (role === 'dom0') {
      const dom0 = kernel.cap(arch === 'ia64' && kernel.pvops ? 'linux.ia64-dom0' : 'linux.dom0.runtime');
      if (!t.decide(dom0)) t.refuse(`${this.name} cannot run as dom0`, dom0.fact);
      const sym = kernel.dom0Symbol();
      if (!cfg.on(sym)) {
        const w = cfg.whyOff(sym);
        for (const f of w.facts) t.note(f);
        throw new Refusal(`${this.name} cannot run as dom0 without CONFIG_${sym}: ${w.reason}`, [...t.facts]);
      }
      const memOpt = `dom0_mem=${memKiB}K${args.maxKiB ? `,max:${maxKiB}K` : ''}`;
      const hvCmd = [xen.cmdline, memOpt, `dom0_max_vcpus=${this.maxVcpus}`, args.xen].filter(Boolean).join(' ');
      this.hv = new Hypervisor(xen, t, hvCmd);
      this.hv.banner();
      const built = this.hv.buildDom0(this.image.info, arch, this.name, memKiB);
      this.domid = 0;
      this.guest = new Guest(kernel, cfg, {
        store: this.store,
        hv: this.hv,
        trace: t,
        timers: this.timers,
        domid: 0,
        role,
        arch,
        memKiB: built.memKiB,
        maxKiB: this.hv.opts.dom0MaxKiB ?? maxKiB,
        vcpus: this.maxVcpus,
        maxVcpus: this.maxVcpus,
        cmdline,
      });
      this.toolstack = new Toolstack(xen, this.store, this.grants, t);
      this.toolstack.registerDom0(built.memKiB, this.hv.opts.dom0MaxKiB ?? maxKiB, this.maxVcpus, this.maxVcpus);
      this.kernelBanner(this.guest, 'Xen');
      this.drivers(this.guest);
      return;
    }

    // domU: the host boots Xen with its own dom0; the toolstack builds the guest.
    this.hv = new Hypervisor(xen, t, [xen.cmdline, args.xen].filter(Boolean).join(' '));
    this.hv.banner();
    t.line(`# the host's dom0${xen.dom0Kernel ? ` (${xen.dom0Kernel})` : ''} runs the toolstack`);
    this.toolstack = new Toolstack(xen, this.store, this.grants, t);
    this.toolstack.createDomU(this.image.info, arch, this.name, { name: 'guest', memKiB, maxKiB, vcpus, maxVcpus: this.maxVcpus }, DOMU_ID);
    this.domid = DOMU_ID;
    this.guest = new Guest(kernel, cfg, {
      store: this.store,
      hv: this.hv,
      trace: t,
      timers: this.timers,
      domid: DOMU_ID,
      role,
      arch,
      memKiB,
      maxKiB,
      vcpus,
      maxVcpus: this.maxVcpus,
      cmdline,
    });
    this.kernelBanner(this.guest, 'Xen');
    this.drivers(this.guest);
  }

  private kernelBanner(g: Guest, on: 'Xen' | 'bare hardware'): void {
    const k = g.kernel;
    const early = [`Linux version ${k.release} (builder@pvmatrix) #1 SMP`, `Command line: ${g.env.cmdline}`];
    if (on === 'Xen')
      early.push(
        k.pvops ? 'Booting paravirtualized kernel on Xen' : `Xen-ELF header found: 'GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0'`,
      );
    else early.push(k.pvops ? 'Booting paravirtualized kernel on bare hardware' : 'Booting kernel on bare hardware');
    if (on === 'Xen' && /(^|\s)earlyprintk=xen(\s|,|$)/.test(g.env.cmdline)) this.earlyPrintk(g, early);
    for (const l of early) g.printk(l);
    if (on === 'Xen') g.printk(`Xen version: ${this.setup.xen!.fullVersion}${g.env.role === 'dom0' ? ' (preserve-AD)' : ''}`);
  }

  /** earlyprintk=xen: the xenboot console writes through HYPERVISOR_console_io. */
  private earlyPrintk(g: Guest, lines: string[]): void {
    const k = g.kernel;
    const t = this.trace;
    const cap = k.cap('linux.earlyprintk-xen');
    if (!t.decide(cap)) return;
    const broken = k.cap('linux.earlyprintk-xen.broken');
    if (broken.has) {
      t.note(broken.fact);
      t.quirk(`${k.displayName}'s earlyprintk=xen printed nothing`, broken.fact);
      return;
    }
    if (!this.hv!.consoleIo(g.env.domid, lines)) {
      const xen = this.setup.xen!;
      t.quirk(
        `${xen.name} dropped the domU's earlyprintk=xen output (HYPERVISOR_console_io)`,
        xen.cap('hv.console-io.domu-write').fact,
        xen.debugFact,
      );
    }
  }

  private drivers(g: Guest): void {
    new Balloon(g);
    new CpuHotplug(g);
    new XenFs(g);
    this.frontends = new Frontends(g, this.grants);
  }
}
