/**
 * Which hypervisor flavour runs a PV guest of a given arch and PAE mode, and the guest
 * types it advertises (xen_caps): x86_64 (with 32-on-64 compat from 3.1, optional from
 * 4.14), x86_32 PAE (until 4.2), x86_32 non-PAE (until 3.2), ia64 (until 4.1).
 */
import type { Arch } from '../../domain/axes.ts';
import type { Trace } from '../trace.ts';
import type { XenBuild } from './build.ts';
import type { PaeMode } from './libelf.ts';

export interface Host {
  arch: 'x86_64' | 'x86_32' | 'x86_32-nonpae' | 'ia64';
  caps: string[];
  /** The guest type string libxc checks: xen-3.0-x86_64, xen-3.0-x86_32p, xen-3.0-x86_32. */
  guestType: string;
}

function x86_64Caps(build: XenBuild): string[] {
  const caps = ['xen-3.0-x86_64'];
  if (build.cap('hv.compat32').has && build.pv32 !== false) caps.push('xen-3.0-x86_32p');
  caps.push('hvm-3.0-x86_32', 'hvm-3.0-x86_32p', 'hvm-3.0-x86_64');
  return caps;
}

/**
 * Pick the hypervisor a user of this release would run the guest on; refuse (with the
 * deciding facts) when no flavour of this build can run it. `compatLine` is the error the
 * caller prints when the x86_64 hypervisor turns a 32-bit guest away.
 */
export function hostFor(
  build: XenBuild,
  arch: Arch,
  pae: PaeMode,
  subject: string,
  trace: Trace,
  compatLine: (guestType: string) => string,
): Host {
  if (arch === 'ia64') {
    const ia64 = build.cap('hv.ia64');
    if (!trace.decide(ia64)) trace.refuse(`${subject}: ${build.name} does not run on ia64`, ia64.fact);
    return { arch: 'ia64', caps: ['xen-3.0-ia64'], guestType: 'xen-3.0-ia64' };
  }
  if (arch === 'x86_64') return { arch: 'x86_64', caps: x86_64Caps(build), guestType: 'xen-3.0-x86_64' };

  if (pae === 'no' || pae === undefined) {
    const nonpae = build.cap('hv.x86_32.nonpae');
    if (!trace.decide(nonpae)) {
      trace.line(compatLine('xen-3.0-x86_32'));
      trace.refuse(`${subject}: the kernel is 32-bit without PAE, and 32-bit Xen guests need PAE on ${build.name}`, nonpae.fact);
    }
    return { arch: 'x86_32-nonpae', caps: ['xen-3.0-x86_32'], guestType: 'xen-3.0-x86_32' };
  }
  const x86_32 = build.cap('hv.x86_32');
  if (trace.decide(x86_32)) return { arch: 'x86_32', caps: ['xen-3.0-x86_32p'], guestType: 'xen-3.0-x86_32p' };
  // From 4.3 only the x86_64 hypervisor exists: 32-bit PV runs as a compat guest if built in.
  const compat = build.cap('hv.compat32');
  trace.decide(compat);
  if (build.pv32 === false) {
    trace.line(compatLine('xen-3.0-x86_32p'));
    trace.refuse(`${subject}: ${build.name} cannot run 32-bit PV guests`, build.pv32Fact!, build.cap('hv.pv32.optional').fact, x86_32.fact);
  }
  return { arch: 'x86_64', caps: x86_64Caps(build), guestType: 'xen-3.0-x86_32p' };
}
