/**
 * Grant tables: a domain grants a page to another; the other maps it. A grant can be ended
 * only when nobody maps it any more (gnttab_end_foreign_access fails otherwise).
 */
export interface Grant {
  ref: number;
  owner: number;
  to: number;
  mapped: boolean;
}

export class GrantTable {
  private next = 8;
  readonly grants = new Map<number, Grant>();

  grant(owner: number, to: number): number {
    const ref = this.next++;
    this.grants.set(ref, { ref, owner, to, mapped: false });
    return ref;
  }

  map(ref: number): boolean {
    const g = this.grants.get(ref);
    if (!g) return false;
    g.mapped = true;
    return true;
  }

  unmap(ref: number): void {
    const g = this.grants.get(ref);
    if (g) g.mapped = false;
  }

  /** End access: false while the grantee still maps the page. */
  end(ref: number): boolean {
    const g = this.grants.get(ref);
    if (!g) return true;
    if (g.mapped) return false;
    this.grants.delete(ref);
    return true;
  }
}
