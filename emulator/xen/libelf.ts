/**
 * The checks Xen's ELF loader (libelf, shared by the hypervisor's dom0 builder and libxc)
 * makes on a PV kernel's metadata: Xen ELF notes (3.0.3+) or the old `__xen_guest`
 * section, GUEST_OS=linux or LOADER=generic, XEN_VER starting with xen-3.0.
 */
import type { ElfInfo } from '../images/types.ts';
import type { XenBuild } from './build.ts';
import type { Trace } from '../trace.ts';

export type PaeMode = 'yes' | 'no' | 'bimodal' | 'extended-cr3' | undefined;

export interface GuestMetadata {
  via: 'notes' | '__xen_guest';
  pae: PaeMode;
  supportedFeatures?: number;
}

/**
 * `who` words the refusal ("Xen 3.0.2 cannot boot ..." vs "the Xen 3.0.2 domain builder").
 * Returns what the loader learnt, or refuses with the deciding fact.
 */
export function readGuestMetadata(
  build: XenBuild,
  elf: ElfInfo,
  subject: string,
  capId: 'hv.elf-notes' | 'tools.elf-notes',
  trace: Trace,
  errorLine: string,
): GuestMetadata {
  const notesCap = build.cap(capId);
  if (elf.xenNotes && trace.decide(notesCap)) {
    const n = elf.xenNotes;
    return { via: 'notes', pae: n.paeMode, supportedFeatures: n.supportedFeatures };
  }
  if (elf.xenGuest) {
    trace.decide(build.cap('hv.xen-guest-section'));
    const pae = elf.xenGuest.fields.PAE;
    return {
      via: '__xen_guest',
      pae:
        pae === undefined
          ? undefined
          : pae.startsWith('yes')
            ? pae.includes('extended-cr3')
              ? 'extended-cr3'
              : 'yes'
            : pae === 'bimodal'
              ? 'bimodal'
              : 'no',
    };
  }
  trace.line(errorLine);
  if (elf.xenNotes) trace.refuse(`${subject}: the kernel has Xen ELF notes but no __xen_guest section`, notesCap.fact);
  trace.refuse(`${subject}: the kernel has neither Xen ELF notes nor a __xen_guest section, so it is not a Xen PV kernel`);
}
