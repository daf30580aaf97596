import type { CmdlineOption } from './types.ts';

/** Splits a kernel or hypervisor command line into options, keeping order and repeats. */
export function parseCmdline(cmdline: string): CmdlineOption[] {
  return cmdline
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => {
      const eq = w.indexOf('=');
      return eq < 0 ? { name: w } : { name: w.slice(0, eq), value: w.slice(eq + 1) };
    });
}

export function optionValue(options: readonly CmdlineOption[], name: string): string | undefined {
  let value: string | undefined;
  for (const o of options) if (o.name === name) value = o.value;
  return value;
}

export function optionValues(options: readonly CmdlineOption[], name: string): string[] {
  return options.filter((o) => o.name === name).map((o) => o.value ?? '');
}

/** The hypervisor options a matrix cares about (xen-facts: dom0_mem, loglvl, guest_loglvl, com1, console). */
export function xenSummary(options: readonly CmdlineOption[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['dom0_mem', 'loglvl', 'guest_loglvl', 'com1', 'com2', 'console', 'dom0_max_vcpus']) {
    const v = optionValue(options, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** The dom0 kernel options a matrix cares about: consoles, earlyprintk, root. */
export function kernelSummary(options: readonly CmdlineOption[]): Record<string, string> {
  const out: Record<string, string> = {};
  const consoles = optionValues(options, 'console');
  if (consoles.length > 0) out.console = consoles.join(',');
  for (const name of ['earlyprintk', 'root', 'xencons']) {
    const v = optionValue(options, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}
