/**
 * The hypervisor at run time: its console (what `xm dmesg` / `xl dmesg` show), the dom0
 * builder, and console_io from guests. One per cell run; the build is shared.
 */
import type { Arch } from '../../domain/axes.ts';
import type { ImageInfo } from '../images/types.ts';
import type { Trace } from '../trace.ts';
import type { XenBuild } from './build.ts';
import { parseXenCmdline, type XenOptions } from './cmdline.ts';
import { hostFor, type Host } from './host.ts';
import { readGuestMetadata } from './libelf.ts';
import { compareVersions } from '../version.ts';

export interface Dom0Build {
  host: Host;
  memKiB: number;
  maxVcpus: number;
}

export class Hypervisor {
  /** The console ring (hypervisor lines and guest console_io output). */
  readonly ring: string[] = [];
  opts: XenOptions;

  constructor(
    readonly build: XenBuild,
    private trace: Trace,
    cmdline: string,
  ) {
    this.opts = parseXenCmdline(build, cmdline, trace);
  }

  log(line: string): void {
    this.ring.push(line);
    this.trace.line(line);
  }

  banner(): void {
    const b = this.build;
    const built = b.real?.hypervisor?.build;
    this.log(
      `(XEN) Xen version ${b.fullVersion} (${built?.by ?? 'xen'}) (${built?.compiler ?? 'gcc'}) debug=${b.debug ? 'y' : 'n'}${built?.date ? ` ${built.date}` : ''}`,
    );
    this.log(`(XEN) Command line: ${this.opts.raw}`);
    const guest = this.guestLoglvl();
    this.log(`(XEN) Std. Loglevel: ${this.opts.loglvl ?? (b.debug ? 'All' : 'Errors and warnings')}`);
    this.log(`(XEN) Guest Loglevel: ${guest === 'all' ? 'All' : guest}`);
  }

  /** Debug builds log everything by default (3.1+); release builds drop guest debug lines. */
  guestLoglvl(): string {
    return this.opts.guestLoglvl ?? (this.build.debug ? 'all' : 'Nothing');
  }

  private panic(why: string): void {
    this.log('(XEN) ****************************************');
    this.log('(XEN) Panic on CPU 0:');
    this.log(`(XEN) ${why}`);
    this.log('(XEN) ****************************************');
  }

  /** Build dom0 from `image`, as the release's dom0 builder would, or refuse. */
  buildDom0(image: ImageInfo, arch: Arch, kernelName: string, dom0MemKiB: number): Dom0Build {
    const b = this.build;
    const t = this.trace;
    const subject = `${b.name} cannot boot ${kernelName} as dom0`;
    const legacy = compareVersions(b.version, '4.0') < 0;
    this.log(legacy ? '(XEN) *** LOADING DOMAIN 0 ***' : '(XEN) *** Building a PV Dom0 ***');
    let elf = image.elf;
    if (image.kind === 'bzImage') {
      const loader = b.cap('hv.dom0.bzimage');
      if (!t.decide(loader)) {
        this.log('(XEN) ELF: not an ELF binary');
        this.panic('Could not set up DOM0 guest OS');
        t.refuse(`${b.name} cannot load a bzImage dom0`, loader.fact);
      }
      const bz = image.bzImage!;
      const min = b.cap('hv.dom0.bzimage.protocol');
      t.decide(min);
      t.note(min.fact);
      if (typeof min.value !== 'string')
        throw new Error(`the bzImage protocol minimum of ${b.name} is not a version (${String(min.value)})`);
      if (compareVersions(bz.protocol, min.value) < 0) {
        this.panic('Could not set up DOM0 guest OS');
        t.refuse(
          `${b.name} cannot load ${kernelName}'s bzImage as dom0: its boot protocol is ${bz.protocol}, below ${min.value}`,
          min.fact,
        );
      }
      const c = bz.compression === 'unknown' ? 'unknown' : bz.compression;
      const dec = b.cap(`hv.dom0.payload.${c === 'unknown' ? 'none' : c}`);
      if (!t.decide(dec)) {
        this.log('(XEN) ELF: not an ELF binary');
        this.panic('Could not set up DOM0 guest OS');
        t.refuse(`${b.name} cannot decompress a ${c} bzImage payload for dom0`, dec.fact);
      }
      elf = bz.payload;
    } else if (image.kind === 'gzip-elf') {
      const own = b.cap('hv.dom0.compressed-elf');
      if (!t.decide(own)) t.decide(b.cap('bootloader.gunzip-modules'));
    }
    if (!elf) {
      this.panic('Could not set up DOM0 guest OS');
      return t.refuse(`${subject}: the image carries no ELF kernel`);
    }
    const meta = readGuestMetadata(
      b,
      elf,
      subject,
      'hv.elf-notes',
      t,
      '(XEN) ERROR: Xen will only load images built for the generic loader or Linux images',
    );
    const host = hostFor(b, arch, meta.pae, subject, t, () => '(XEN) Mismatch between Xen and DOM0 kernel');
    if (meta.supportedFeatures !== undefined) {
      const check = b.cap('hv.dom0.supported-features-check');
      if (t.decide(check) && !(meta.supportedFeatures & (1 << 11))) {
        this.log('(XEN) Kernel does not support Dom0 operation');
        this.panic('Could not set up DOM0 guest OS');
        t.refuse(`${subject}: its SUPPORTED_FEATURES note lacks the dom0 bit`, check.fact);
      }
    }
    const bits = elf.class === 64 ? '64-bit' : '32-bit';
    this.log(
      `(XEN)  Xen  kernel: ${host.arch === 'x86_64' ? '64-bit, lsb, compat32' : host.arch === 'ia64' ? '64-bit, lsb' : '32-bit, lsb'}`,
    );
    this.log(`(XEN)  Dom0 kernel: ${bits}${meta.pae && meta.pae !== 'no' ? ', PAE' : ''}, lsb, paddr 0x1000000 -> 0x2c00000`);
    const maxVcpus = this.opts.dom0MaxVcpus ?? 2;
    this.log(`(XEN) Dom0 has maximum ${maxVcpus} VCPUs`);
    this.log(`(XEN) *** Serial input to DOM0 (type 'CTRL-a' three times to switch input)`);
    this.log('(XEN) Freed 656kB init memory');
    return { host, memKiB: this.opts.dom0MemKiB ?? dom0MemKiB, maxVcpus };
  }

  /**
   * HYPERVISOR_console_io(CONSOLEIO_write) from a domain. Dom0 may always write; a domU
   * only on a debug build, and from 4.4 its lines are "(dN) ..." at guest debug level.
   * Returns whether the text reached the console.
   */
  consoleIo(domid: number, lines: string[]): boolean {
    const b = this.build;
    if (domid === 0) {
      for (const l of lines) this.log(l);
      return true;
    }
    const rule = b.cap('hv.console-io.domu-write');
    this.trace.note(rule.fact);
    this.trace.note(b.debugFact);
    if (!b.debug) return false;
    const prefix = b.cap('hv.console.guest-prefix');
    this.trace.note(prefix.fact);
    if (prefix.has) {
      if (!/^(all|debug)/.test(this.guestLoglvl())) return false;
      for (const l of lines) this.log(`(d${domid}) ${l}`);
    } else for (const l of lines) this.log(l);
    return true;
  }
}
