/**
 * Reading the serial console: each line cleaned (CR and terminal escapes gone), then
 * recognised as an agent marker, a boot milestone, or a fatal pattern (realboot.md §7).
 */
export type StepStatus = 'ok' | 'fail' | 'mismatch' | 'timeout' | 'error';

export type Marker =
  | { kind: 'init'; uptimeMs: number; release: string }
  | { kind: 'toolstack'; ok: boolean; ms: number }
  | { kind: 'begin'; s: number }
  | { kind: 'data'; s: number; k: number; b64: string }
  | { kind: 'step'; s: number; k: number; status: StepStatus; ms: number; bytes?: number }
  | { kind: 'end'; s: number }
  | { kind: 'done' };

// ESC c, CSI sequences (ESC [ ... letter), and other control bytes but tab.
const ESCAPES = /\x1bc|\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]/g;

export function cleanLine(raw: string): string {
  return raw.replace(/\r/g, '').replace(ESCAPES, '');
}

const STATUSES = new Set(['ok', 'fail', 'mismatch', 'timeout', 'error']);

/** The marker in a line, wherever it starts (a kernel message may precede it on the line). */
export function parseMarker(line: string): Marker | undefined {
  const at = line.indexOf('@@PVM ');
  if (at < 0) return undefined;
  const w = line
    .slice(at + 6)
    .trim()
    .split(/\s+/);
  const n = (i: number) => Number(w[i]);
  const int = (i: number) => /^\d+$/.test(w[i] ?? '');
  switch (w[0]) {
    case 'INIT':
      return int(1) ? { kind: 'init', uptimeMs: n(1), release: w[2] ?? '' } : undefined;
    case 'TOOLSTACK':
      return int(2) ? { kind: 'toolstack', ok: w[1] === 'ok', ms: n(2) } : undefined;
    case 'BEGIN':
      return int(1) ? { kind: 'begin', s: n(1) } : undefined;
    case 'END':
      return int(1) ? { kind: 'end', s: n(1) } : undefined;
    case 'D':
      return int(1) && int(2) && /^[A-Za-z0-9+/=]+$/.test(w[3] ?? '') ? { kind: 'data', s: n(1), k: n(2), b64: w[3]! } : undefined;
    case 'STEP':
      if (!(int(1) && int(2) && STATUSES.has(w[3] ?? '') && int(4))) return undefined;
      return { kind: 'step', s: n(1), k: n(2), status: w[3] as StepStatus, ms: n(4), ...(int(5) ? { bytes: n(5) } : {}) };
    case 'DONE':
      return { kind: 'done' };
    default:
      return undefined;
  }
}

export type Milestone = 'seabios' | 'xen' | 'dom0-build' | 'dom0-handover' | 'dom0-kernel' | 'dom0-userspace' | 'dom0-init' | 'poweroff';

const MILESTONES: [Milestone, RegExp][] = [
  ['seabios', /SeaBIOS \(version/],
  ['xen', /\(XEN\) Xen version \d/],
  ['dom0-build', /\(XEN\) \*\*\* Building a PV Dom0 \*\*\*/],
  ['dom0-handover', /\(XEN\) Freed \d+kB init memory|\*\*\* Serial input to DOM0/],
  ['dom0-kernel', /Hypervisor detected: Xen PV|Booting kernel on Xen/],
  ['dom0-userspace', /Run \/init as init process/],
  ['poweroff', /\(XEN\) Entering ACPI S5 state|reboot: Power down/],
];

export function milestoneOf(line: string): Milestone | undefined {
  return MILESTONES.find(([, re]) => re.test(line))?.[0];
}

/** Lines after which this boot is over: the system under the harness died. */
const FATAL = [
  /\(XEN\) Panic on CPU/,
  /Hardware Dom0 crashed/,
  /Domain 0 \(vcpu#\d+\) crashed/,
  /domain_crash/,
  /\(XEN\) d0v\d+ Unhandled/,
  /Kernel panic - not syncing/,
  /\(XEN\) \*{20,}/,
];

export const isFatal = (line: string) => FATAL.some((re) => re.test(line));

/**
 * Among the lines around a fatal one: Xen saying it cannot build this dom0 (the platform
 * refusing the kernel, so `unsupported` with this line as the reason, not `broken`).
 */
const REFUSALS = [
  /but CONFIG_\w+ missing/,
  /Could not set up DOM0 guest OS/i,
  /Could not construct domain 0/i,
  /Not a valid ELF|not a Xen-compatible|Unsupported (kernel|image)|xen_elfnote|Kernel does not support|incompatible/i,
];

export const isRefusal = (line: string) => /\(XEN\)/.test(line) && !/\(XEN\) \*+$/.test(line) && REFUSALS.some((re) => re.test(line));
