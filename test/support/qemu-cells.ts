import { xenDomain } from '../../cli/xen-domain.ts';
import type { Cell } from '../../contracts/cell.ts';

/** Cells for the real backend's tests, built the way the runner builds them (steps normalised). */
export const DEBIAN_XEN = { version: '4.17', build: { pv32: false }, image: '/boot/xen-4.17-amd64.gz' };
export const DEBIAN_KERNEL = { version: '6.1', tree: 'distro', image: '/boot/vmlinuz-6.1.*-amd64', config: '/boot/config-6.1.*-amd64' };
export const GRUB_I386_PV = { version: '2.06', tree: 'distro', image: '/usr/lib/grub-xen/grub-i386-xen.bin' };

export function qemuCell(opts: {
  scenario: string;
  steps: unknown[];
  role?: 'dom0' | 'domU';
  format?: string;
  arch?: string;
  kernel?: Record<string, unknown>;
  kernelId?: string;
}): Cell {
  const axes: Record<string, string> = {
    xen: 'debian12-4.17',
    kernel: opts.kernelId ?? '6.1',
    format: opts.format ?? 'vmlinux',
    arch: opts.arch ?? 'x86_64',
    role: opts.role ?? 'dom0',
  };
  return {
    id: `${Object.entries(axes)
      .map(([k, v]) => `${k}=${v}`)
      .join('/')}/scenario=${opts.scenario}`,
    axes,
    scenario: opts.scenario,
    feature: opts.scenario,
    profiles: { xen: DEBIAN_XEN, kernel: opts.kernel ?? DEBIAN_KERNEL },
    steps: opts.steps.map((s) => xenDomain.normaliseStep(s)),
  };
}

const XM = '/sys/devices/system/xen_memory/xen_memory0';
const CPU = '/sys/devices/system/cpu';

/** The smoke scenarios: what realboot.md showed working (and refused) on Debian 12. */
export const SMOKE = {
  dom0Balloon: [
    { boot: { memory: '512M' } },
    { read: `${XM}/target_kb`, expect: { equals: 524288 } },
    { write: { path: `${XM}/target_kb`, value: 393216 } },
    { read: `${XM}/info/current_kb`, expect: { equals: 393216, within: '10s' } },
    { write: { path: `${XM}/target_kb`, value: 524288 } },
    { read: `${XM}/info/current_kb`, expect: { equals: 524288, within: '10s' } },
    { 'set-memory': { target: '448M' } },
    { read: `${XM}/info/current_kb`, expect: { equals: 458752, within: '10s' } },
  ],
  dom0CpuHotplug: [
    { boot: null },
    { read: `${CPU}/present`, expect: { equals: '0-1' } },
    { write: { path: `${CPU}/cpu1/online`, value: 0 } },
    { read: `${CPU}/online`, expect: { equals: '0', within: '5s' } },
    { write: { path: `${CPU}/cpu1/online`, value: 1 } },
    { read: `${CPU}/online`, expect: { equals: '0-1', within: '5s' } },
  ],
  dom0Xenfs: [
    { boot: null },
    { 'load-module': { name: 'xenfs' } },
    { mount: { fs: 'xenfs', at: '/proc/xen' } },
    { read: '/proc/xen/capabilities', expect: { equals: 'control_d' } },
    { 'xen-console': null, expect: { contains: 'Xen version 4.17' } },
  ],
  domUBoot: [
    { boot: { memory: '128M', maxmem: '256M', vcpus: 1, maxvcpus: 2 } },
    { read: '/sys/hypervisor/guest_type', expect: { equals: 'PV' } },
    { 'set-memory': { target: '96M' } },
    { read: `${XM}/info/current_kb`, expect: { equals: 98304, within: '10s' } },
    { 'set-vcpus': { count: 2 } },
    { read: `${CPU}/online`, expect: { equals: '0-1', within: '10s' } },
    { 'set-memory': { target: '300M' }, expect: { refused: true } },
  ],
  domUBootOnly: [{ boot: { memory: '128M' } }, { read: '/sys/hypervisor/guest_type', expect: { equals: 'PV' } }],
} as const;
