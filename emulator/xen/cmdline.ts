/**
 * The hypervisor command line as a release parses it: dom0_mem (min:/max: from 3.0.4),
 * dom0_max_vcpus, loglvl / guest_loglvl (3.0.4+), console, com1. Options a release does
 * not know are ignored, as Xen ignores unknown parameters.
 */
import type { Trace } from '../trace.ts';
import type { XenBuild } from './build.ts';

export interface XenOptions {
  dom0MemKiB?: number;
  dom0MaxKiB?: number;
  dom0MaxVcpus?: number;
  loglvl?: string;
  guestLoglvl?: string;
  console: string[];
  com1?: string;
  raw: string;
}

export function parseSizeKiB(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)/i.exec(text.trim());
  if (!m) return NaN;
  const mult = { '': 1 / 1024, K: 1, M: 1024, G: 1024 * 1024, T: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  // Xen's dom0_mem defaults to KiB for a bare number; sizes from steps are bytes (handled by callers).
  return Math.round(Number(m[1]) * (m[2] ? mult : 1));
}

export function parseXenCmdline(build: XenBuild, text: string, trace: Trace): XenOptions {
  const opts: XenOptions = { console: [], raw: text };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const [key, value = ''] = word.split(/=(.*)/s) as [string, string?];
    switch (key) {
      case 'dom0_mem': {
        for (const part of value.split(',')) {
          const mm = /^(min|max):(.*)$/.exec(part);
          if (mm) {
            const d = build.cap('hv.cmdline.dom0_mem-minmax');
            if (!trace.decide(d)) {
              trace.line(`(XEN) dom0_mem: ignoring "${part}" (this release takes a single amount)`);
              continue;
            }
            if (mm[1] === 'max') opts.dom0MaxKiB = parseSizeKiB(mm[2]!);
          } else opts.dom0MemKiB = parseSizeKiB(part);
        }
        break;
      }
      case 'dom0_max_vcpus':
        if (trace.decide(build.cap('hv.cmdline.dom0_max_vcpus'))) opts.dom0MaxVcpus = Number(value);
        break;
      case 'loglvl':
      case 'guest_loglvl':
        if (trace.decide(build.cap('hv.cmdline.loglvl'))) opts[key === 'loglvl' ? 'loglvl' : 'guestLoglvl'] = value;
        break;
      case 'console':
        opts.console = value.split(',');
        break;
      case 'com1':
        opts.com1 = value;
        break;
    }
  }
  return opts;
}
