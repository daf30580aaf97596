/**
 * A cell as a backend sees it: one value per axis, one scenario, and the meaning of the
 * axis values (profiles) and of the scenario (steps) as plain data. The runner treats
 * profiles and steps as opaque: the Domain port (cli/xen-domain.ts) validates them, the backends read them.
 * No expectation travels with it, so a backend cannot bend its answer towards one.
 */
export interface Cell {
  /** Stable, readable id: `xen=3.4/kernel=2.6.30/format=bzImage/.../scenario=balloon`. */
  id: string;
  /** Axis name -> value id, only for the axes that apply to this cell. */
  axes: Record<string, string>;
  scenario: string;
  feature: string;
  /** Axis name -> resolved profile of this cell's value on that axis (only axes with profiles). */
  profiles: Record<string, unknown>;
  /** The scenario's steps, validated by the domain's step schema. */
  steps: readonly unknown[];
}
