/**
 * The backend half of a PV device in dom0 (blkback/netback as the toolstack's hotplug
 * scripts leave them): maps the frontend's ring grant when it is Initialised, unmaps it
 * when the frontend is Closed.
 */
import type { XenStore } from '../xenstore/store.ts';
import type { GrantTable } from '../xen/grant-table.ts';

export function startBackend(store: XenStore, grants: GrantTable, backendDir: string, frontendDir: string): void {
  let ring: number | undefined;
  store.watch(`${frontendDir}/state`, `be:${backendDir}`, (p) => {
    if (!store.exists(backendDir)) return;
    const s = store.tryRead(p);
    if (s === '3' && ring === undefined) {
      ring = Number(store.tryRead(`${frontendDir}/ring-ref`));
      grants.map(ring);
      store.write(`${backendDir}/state`, '4');
    } else if ((s === '6' || s === '5') && ring !== undefined) {
      grants.unmap(ring);
      ring = undefined;
      if (s === '6') store.write(`${backendDir}/state`, '6');
    } else if (s === '6') store.write(`${backendDir}/state`, '6');
  });
}

/** Tear down without the frontend's cooperation (--force). */
export function forceBackendDown(store: XenStore, grants: GrantTable, frontendDir: string): void {
  const ref = store.tryRead(`${frontendDir}/ring-ref`);
  if (ref !== undefined) grants.unmap(Number(ref));
}
