import { type Step, type StepOf, isAction } from '../../domain/steps/schema.ts';
import type { RealCell } from './cells.ts';

/**
 * How a group's cells become boots. role dom0: the kernel under test *is* dom0, so cells
 * whose boot differs (format, dom0_mem, vCPUs, command lines) need separate boots; cells
 * with the same boot share one, and run in order in it (state carries over: a scenario sees
 * what the previous one left, as on a long-lived host). role domU: one dom0 boot serves
 * every cell; each scenario creates a fresh domU and destroys it at the end.
 */
export interface BootPlan {
  key: string;
  role: 'dom0' | 'domU';
  /** No Xen: QEMU boots the kernel under test directly, and its /init is the agent. */
  native: boolean;
  cells: RealCell[];
  xenCmdline: string;
  dom0Cmdline: string;
  memMiB: number;
}

const bootArgs = (steps: readonly Step[]): Partial<StepOf<'boot'>['args']> => steps.find(isAction('boot'))?.args ?? {};

/** KiB -> whole MiB, rounded up: what Xen's dom0_mem and xl's `memory =` take here. */
export const mib = (kib: number) => Math.ceil(kib / 1024);

// serial_tx_buffer: Xen drops console output when its 16 KiB serial buffer overflows, and the
// emulated UART drains slowly: a 20 KB step value (dmesg, a domU console) lost its tail.
const XEN_BASE = 'console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all bootscrub=0 serial_tx_buffer=1M';
const DOM0_BASE = 'console=hvc0 earlyprintk=xen';
const QEMU_CPUS = 2;
// panic=-1: a kernel that panics reboots at once, and -no-reboot turns that into QEMU's exit.
const NATIVE_BASE = 'console=ttyS0,115200 panic=-1';

/** A command line with repeated words dropped (a scenario may repeat the harness's own). */
const uniqueWords = (line: string) => [...new Set(line.split(/\s+/).filter(Boolean))].join(' ');

export function planBoots(cells: readonly RealCell[]): BootPlan[] {
  const boots = new Map<string, BootPlan>();
  for (const rc of cells) {
    const b = bootArgs(rc.steps);
    if (rc.native) {
      // A native boot is the kernel alone: cells of one kernel and command line share it.
      const cmdline = uniqueWords([NATIVE_BASE, rc.kernelCmdline, b.cmdline].filter(Boolean).join(' '));
      const key = ['native', rc.kernelImage, cmdline].join('|');
      const plan = boots.get(key) ?? {
        key,
        role: 'dom0' as const,
        native: true,
        cells: [],
        xenCmdline: '',
        dom0Cmdline: cmdline,
        memMiB: 512,
      };
      plan.cells.push(rc);
      boots.set(key, plan);
      continue;
    }
    const role = rc.role === 'domU' ? 'domU' : 'dom0';
    let xen = [XEN_BASE, rc.xenCmdline, b.xen].filter(Boolean).join(' ');
    let dom0 = DOM0_BASE;
    if (role === 'dom0') {
      const mem = b.memoryKiB !== undefined ? `${mib(b.memoryKiB)}M` : '512M';
      const max = b.maxmemKiB !== undefined ? `,max:${mib(b.maxmemKiB)}M` : '';
      if (!/dom0_mem=/.test(xen)) xen += ` dom0_mem=${mem}${max}`;
      // QEMU gives 2 CPUs, and dom0 gets one vCPU per CPU: 2 needs no option.
      const vcpus = b.maxvcpus ?? b.vcpus;
      if (vcpus && vcpus !== QEMU_CPUS && !/dom0_max_vcpus=/.test(xen)) xen += ` dom0_max_vcpus=${vcpus}`;
      dom0 = [DOM0_BASE, rc.kernelCmdline, b.cmdline, b.vcpus && b.maxvcpus && b.vcpus < b.maxvcpus ? `maxcpus=${b.vcpus}` : '']
        .filter(Boolean)
        .join(' ');
    } else if (!/dom0_mem=/.test(xen)) xen += ' dom0_mem=512M';
    xen = uniqueWords(xen);
    dom0 = uniqueWords(dom0);
    const memMiB = role === 'domU' ? 2048 : 1024;
    // One kernel per boot: a domU boot carries that kernel's files and modules.
    const key = [role, rc.kernelImage, role === 'dom0' ? rc.format : '', xen, dom0].join('|');
    const plan = boots.get(key) ?? { key, role, native: false, cells: [], xenCmdline: xen, dom0Cmdline: dom0, memMiB };
    plan.cells.push(rc);
    boots.set(key, plan);
  }
  return [...boots.values()];
}
