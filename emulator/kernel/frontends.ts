/**
 * xenbus frontends (blkfront, netfront): probed when the toolstack writes a device under
 * the guest's device/ directory, through the xenbus states with the backend in dom0.
 * A frontend module that is not loaded is autoloaded from the xen:vbd / xen:vif uevent
 * only from 2.6.26 (2.6.18-xen had the aliases). Tearing a frontend down while the backend
 * still maps its ring leaks the page (KERN_WARNING up to 3.4, KERN_DEBUG in 2.6.18-xen) or,
 * from 3.5, defers it to a list a timer retries. From 5.5 a bound device pins its driver's
 * module, so rmmod is refused until the toolstack detaches the device.
 */
import type { GrantTable } from '../xen/grant-table.ts';
import type { Driver, Explanation, Guest } from './guest.ts';

type Kind = 'vbd' | 'vif';

interface Device {
  kind: Kind;
  id: string;
  dir: string;
  backend?: string;
  ring?: number;
  name?: string;
  bound: boolean;
}

const STATE = { Initialising: '1', InitWait: '2', Initialised: '3', Connected: '4', Closing: '5', Closed: '6' } as const;

export class Frontends implements Driver {
  readonly devices = new Map<string, Device>();
  readonly moduleOf: Record<Kind, string>;
  private symbolOf: Record<Kind, string> = { vbd: 'XEN_BLKDEV_FRONTEND', vif: 'XEN_NETDEV_FRONTEND' };
  private bound: Record<Kind, boolean> = { vbd: false, vif: false };
  private nets = 0;
  /** Module aliases a scenario may use: pv-ops names map to 2.6.18-xen's. */
  readonly aliases: Record<string, string>;

  constructor(
    private g: Guest,
    private grants: GrantTable,
  ) {
    const classic = !g.kernel.pvops;
    this.moduleOf = { vbd: classic ? 'xenblk' : 'xen-blkfront', vif: classic ? 'xennet' : 'xen-netfront' };
    this.aliases = classic ? { 'xen-blkfront': 'xenblk', 'xen-netfront': 'xennet' } : {};
    g.drivers.push(this);
    if (!g.kernel.cap('linux.frontends').has) return;
    for (const kind of ['vbd', 'vif'] as const) {
      g.registerModule(
        this.moduleOf[kind],
        this.symbolOf[kind],
        () => this.driverUp(kind),
        () => this.driverDown(kind),
        () => this.holders(kind),
      );
    }
    g.env.store.watch(`${g.home}/device`, 'frontends', (path) => this.changed(path));
  }

  private changed(path: string): void {
    const m = new RegExp(`^${this.g.home}/device/(vbd|vif)/([^/]+)(?:/(.*))?$`).exec(path);
    if (!m) return;
    const [, kind, id, leaf] = m as unknown as [string, Kind, string, string | undefined];
    const dir = `${this.g.home}/device/${kind}/${id}`;
    const store = this.g.env.store;
    if (!store.exists(dir)) {
      const d = this.devices.get(dir);
      if (d) this.remove(d, 'gone');
      return;
    }
    if (leaf !== 'state' || this.devices.has(dir)) return;
    if (store.tryRead(path) !== STATE.Initialising) return;
    const d: Device = { kind, id, dir, bound: false };
    this.devices.set(dir, d);
    this.g.printk(`xenbus: uevent xen:${kind} for device/${kind}/${id}`, 'debug');
    if (this.bound[kind]) this.bind(d);
    else if (this.g.modules.get(this.moduleOf[kind]) === 'available') {
      const alias = this.g.kernel.cap('linux.frontend.modalias');
      this.g.trace.note(alias.fact);
      if (alias.has) this.g.loadModule(this.moduleOf[kind]);
      else
        this.g.trace.quirk(
          `${this.moduleOf[kind]} is a module that is not loaded, and ${this.g.kernel.displayName} does not autoload frontend modules from the xen:${kind} uevent`,
          alias.fact,
        );
    }
  }

  private driverUp(kind: Kind): void {
    this.bound[kind] = true;
    for (const d of this.devices.values()) if (d.kind === kind && !d.bound) this.bind(d);
  }

  private driverDown(kind: Kind): void {
    this.bound[kind] = false;
    for (const d of [...this.devices.values()]) if (d.kind === kind && d.bound) this.remove(d, 'unload');
  }

  /**
   * What pins the module of `kind`: from 5.5 xenbus holds a module reference for each bound
   * device (taken before probe, dropped after remove); before, nothing does and the unload
   * tears the bound devices down.
   */
  private holders(kind: Kind): Explanation | undefined {
    const bound = [...this.devices.values()].filter((d) => d.kind === kind && d.bound);
    if (!bound.length) return undefined;
    const ref = this.g.kernel.cap('linux.xenbus.module-ref');
    this.g.trace.note(ref.fact);
    if (!ref.has) return undefined;
    const names = bound.map((d) => (d.name ? `${d.name}, device/${kind}/${d.id}` : `device/${kind}/${d.id}`));
    return {
      reason: `xenbus holds it for ${bound.length === 1 ? 'its bound device' : `its ${bound.length} bound devices`} ${names.join('; ')}`,
      facts: [ref.fact],
    };
  }

  private bind(d: Device): void {
    const store = this.g.env.store;
    d.bound = true;
    d.backend = store.tryRead(`${d.dir}/backend`);
    d.ring = this.grants.grant(this.g.env.domid, 0);
    store.write(`${d.dir}/ring-ref`, String(d.ring));
    store.write(`${d.dir}/event-channel`, '9');
    if (d.backend) {
      store.watch(`${d.backend}/state`, `fe:${d.dir}`, (p) => {
        const s = store.tryRead(p);
        if (s === STATE.Connected) this.connect(d);
        else if (s === STATE.Closing) this.closing(d);
        else if (s === STATE.Closed) this.closed(d);
      });
    }
    store.write(`${d.dir}/state`, STATE.Initialised);
  }

  private connect(d: Device): void {
    if (d.name) return;
    const store = this.g.env.store;
    if (d.kind === 'vbd') {
      const vdev = store.tryRead(`${d.dir}/virtual-device`) ?? d.id;
      const n = Number(vdev);
      d.name = Number.isFinite(n) && n >> 8 === 202 ? `xvd${String.fromCharCode(97 + ((n & 0xff) >> 4))}` : `xvd${d.id}`;
      this.g.addFile(`/sys/block/${d.name}/size`, { read: () => '2097152' });
      this.g.printk(`blkfront: ${d.name}: barrier: enabled`);
    } else {
      d.name = `eth${this.nets++}`;
      this.g.addFile(`/sys/class/net/${d.name}/address`, { read: () => '00:16:3e:00:00:01' });
      this.g.printk(`netfront: Initialising virtual ethernet driver.`);
    }
    store.write(`${d.dir}/state`, STATE.Connected);
  }

  private closing(d: Device): void {
    if (d.name) this.g.removeUnder(d.kind === 'vbd' ? `/sys/block/${d.name}` : `/sys/class/net/${d.name}`);
    d.name = undefined;
    this.g.env.store.write(`${d.dir}/state`, STATE.Closed);
  }

  private closed(d: Device): void {
    if (d.ring !== undefined && this.grants.end(d.ring)) d.ring = undefined;
  }

  /** Driver removal (module unload or device gone): end the ring grant now, as blkif_free does. */
  private remove(d: Device, why: 'unload' | 'gone'): void {
    const g = this.g;
    if (d.name) g.removeUnder(d.kind === 'vbd' ? `/sys/block/${d.name}` : `/sys/class/net/${d.name}`);
    d.name = undefined;
    d.bound = false;
    if (d.ring !== undefined && !this.grants.end(d.ring)) {
      const ref = d.ring;
      const deferred = g.kernel.cap('linux.gnttab.deferred');
      g.trace.note(deferred.fact);
      if (deferred.has) {
        g.printk(`xen:grant_table: deferring g.e. 0x${ref.toString(16)} (pfn 0x${(0x1f000 + ref).toString(16)})`, 'debug');
        const retry = () => {
          if (this.grants.end(ref)) g.printk(`xen:grant_table: freed deferred g.e. 0x${ref.toString(16)}`, 'debug');
          else g.env.timers.after(1000, retry);
        };
        g.env.timers.after(1000, retry);
      } else {
        g.printk('WARNING: leaking g.e. and page still in use!', g.kernel.pvops ? 'warning' : 'debug');
        g.trace.quirk(
          `${g.kernel.displayName} leaked the page of grant ${ref}, still mapped by the backend when ${this.moduleOf[d.kind]} let go of it`,
          deferred.fact,
        );
      }
    }
    d.ring = undefined;
    if (why === 'unload') {
      // xenbus_dev_remove switches the frontend to Closed: the backend then unmaps.
      if (g.env.store.exists(d.dir)) g.env.store.write(`${d.dir}/state`, STATE.Closed);
      this.devices.delete(d.dir);
    } else this.devices.delete(d.dir);
  }

  explain(path: string): Explanation | undefined {
    const kind: Kind | undefined = path.startsWith('/sys/block/') ? 'vbd' : path.startsWith('/sys/class/net/') ? 'vif' : undefined;
    if (!kind) return undefined;
    const g = this.g;
    const k = g.kernel;
    const fe = k.cap('linux.frontends');
    if (!fe.has) return { reason: `${k.displayName} has no Xen frontends`, facts: [fe.fact] };
    const sym = this.symbolOf[kind];
    if (!g.config.on(sym)) return g.config.whyOff(sym);
    const pending = [...this.devices.values()].find((d) => d.kind === kind && !d.bound);
    if (pending) {
      const alias = k.cap('linux.frontend.modalias');
      return {
        reason: `the ${kind} appeared in xenstore but ${this.moduleOf[kind]} is a module that is not loaded, and ${k.displayName} does not autoload it from the xen:${kind} uevent`,
        facts: [alias.fact],
      };
    }
    return undefined;
  }
}
