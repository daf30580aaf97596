/**
 * vCPU hotplug: the guest watches cpu/N/availability in xenstore (2.6.28+, only with
 * CONFIG_HOTPLUG_CPU; 2.6.18-xen always). On "online", pv-ops only marks the CPU present
 * and sends a uevent, and userspace onlines it; 2.6.18-xen calls cpu_up() itself.
 */
import type { Fact } from '../knowledge/index.ts';
import { Refusal } from '../trace.ts';
import { cpuList, type Driver, type Explanation, type Guest } from './guest.ts';

/** What the guest's userspace does on a CPU "add" uevent: distros ship a udev rule that onlines it. */
export const UDEV_ONLINES_CPUS: Fact = {
  text: 'the guest userspace onlines a hot-added CPU on its uevent, as a udev rule (SUBSYSTEM=="cpu", ACTION=="add" -> online=1) or the test /init does',
  source: 'research/realboot.md (xl vcpu-set: "stays offline until the guest writes 1 > .../cpu1/online")',
  verified: true,
};

export class CpuHotplug implements Driver {
  readonly present = new Set<number>();
  readonly online = new Set<number>();
  private watching = false;

  constructor(private g: Guest) {
    const env = g.env;
    for (let i = 0; i < env.vcpus; i++) {
      this.present.add(i);
      this.online.add(i);
    }
    g.addFile('/sys/devices/system/cpu/online', { read: () => cpuList(this.online) });
    g.addFile('/sys/devices/system/cpu/present', { read: () => cpuList(this.present) });
    g.addFile('/sys/devices/system/cpu/possible', { read: () => `0-${env.maxVcpus - 1}` });
    for (let i = 1; i < env.maxVcpus; i++) this.sysfsCpu(i);
    g.drivers.push(this);
    const k = g.kernel;
    const cap = k.cap('linux.cpu-hotplug');
    if (!cap.has || !g.config.on('HOTPLUG_CPU')) return;
    this.watching = true;
    env.store.watch(`${g.home}/cpu`, 'cpu', (path) => {
      const m = /\/cpu\/(\d+)\/availability$/.exec(path);
      if (!m) return;
      const n = Number(m[1]);
      const v = env.store.tryRead(path);
      if (v === 'online') this.onlineRequest(n);
      else if (v === 'offline') this.offlineRequest(n);
      else if (v !== undefined) g.printk(`XENBUS: unknown state(${v}) on CPU${n}`, 'warning');
    });
  }

  private sysfsCpu(n: number): void {
    this.g.addFile(`/sys/devices/system/cpu/cpu${n}/online`, {
      read: () => (this.online.has(n) ? '1' : '0'),
      write: (v) => {
        if (v.trim() === '1') {
          if (!this.present.has(n) || this.online.has(n))
            throw new Refusal(
              `write 1 to cpu${n}/online: Invalid argument (the CPU is ${this.online.has(n) ? 'already online' : 'not present'})`,
              [],
            );
          this.cpuUp(n);
        } else if (v.trim() === '0') {
          if (!this.online.has(n)) throw new Refusal(`write 0 to cpu${n}/online: Invalid argument`, []);
          this.online.delete(n);
          this.g.printk(`smpboot: CPU ${n} is now offline`);
        }
      },
    });
  }

  private cpuUp(n: number): void {
    this.online.add(n);
    this.g.printk(`installing Xen timer for CPU ${n}`);
  }

  private onlineRequest(n: number): void {
    if (this.online.has(n)) return;
    const action = this.g.kernel.cap('linux.cpu-hotplug.online-action');
    this.g.trace.note(action.fact);
    this.present.add(n);
    if (action.value === 'cpu_up') {
      this.cpuUp(n);
      return;
    }
    // pv-ops: present only; the uevent reaches userspace, which onlines the CPU.
    this.g.trace.note(UDEV_ONLINES_CPUS);
    this.g.env.timers.after(100, () => {
      if (this.present.has(n) && !this.online.has(n)) this.cpuUp(n);
    });
  }

  private offlineRequest(n: number): void {
    if (!this.present.has(n)) return;
    if (this.online.delete(n)) this.g.printk(`smpboot: CPU ${n} is now offline`);
    this.present.delete(n);
  }

  explain(path: string): Explanation | undefined {
    if (!path.startsWith('/sys/devices/system/cpu')) return undefined;
    return this.why();
  }

  /** Why the guest ignores cpu/N/availability, if it does. */
  why(): Explanation | undefined {
    if (this.watching) return undefined;
    const k = this.g.kernel;
    const cap = k.cap('linux.cpu-hotplug');
    if (!cap.has) return { reason: `${k.displayName} ignores cpu/N/availability`, facts: [cap.fact] };
    const w = this.g.config.whyOff('HOTPLUG_CPU');
    return {
      reason: `${k.displayName} ignores cpu/N/availability without CONFIG_HOTPLUG_CPU (${w.reason})`,
      facts: [cap.fact, ...w.facts],
    };
  }
}
