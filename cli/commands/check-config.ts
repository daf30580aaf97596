import { readFileSync, statSync } from 'node:fs';
import { ARCHES, type Arch, ROLES, type Role } from '../../domain/axes.ts';
import { KERNEL_TREES } from '../../domain/profiles.ts';
import { parseKconfig } from '../../emulator/images/kconfig.ts';
import { type ChainStep, type ConfigCheck, type KernelTree, checkConfig, knownFeatures } from '../../emulator/kconfig/index.ts';
import { didYouMean } from '../../lib/suggest.ts';
import { helpOption, parseCommandArgs } from '../args.ts';
import { type Command, type Io, processIo, UsageError } from '../command.ts';

const usage = `usage: pvmatrix check-config FILE --role dom0|domU [--feature NAME...] [--kernel VERSION]
                             [--tree TREE] [--arch ARCH] [--json]

What a kernel .config lacks to run as dom0 or domU under Xen, and for the features named:
each missing option with the chain of options that makes it visible in that kernel version
(e.g. XEN_DOM0 and its dependencies as they were then), and notes such as the /etc/fstab
line xenfs needs. A dom0 check includes xenfs.

options:
  --role ROLE           dom0 or domU (required)
  --feature NAME        repeatable: ${knownFeatures().join(', ')}
  --kernel VERSION      the kernel version (default: the config's header line,
                        "# Linux/x86 6.1.0 Kernel Configuration")
  --tree TREE           ${KERNEL_TREES.join(', ')} (default: mainline)
  --arch ARCH           ${ARCHES.join(', ')} (default: from CONFIG_X86_64, CONFIG_X86_PAE...)
  --json                the result as JSON
  -h, --help            this help

exit codes: 0 nothing missing; 1 something missing; 2 bad input
`;

function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`check-config: unknown ${what} "${value}"${didYouMean(value, allowed)}; allowed: ${allowed.join(', ')}`);
}

/** The arch a config was made for, from the symbols Kconfig writes for it. */
export function archOfConfig(config: ReadonlyMap<string, string>): Arch | undefined {
  if (config.get('X86_64') === 'y') return 'x86_64';
  if (config.get('IA64') === 'y') return 'ia64';
  if (config.get('X86_32') === 'y' || config.get('X86') === 'y') return config.get('X86_PAE') === 'y' ? 'x86_32-pae' : 'x86_32';
  return undefined;
}

export async function checkConfigCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'check-config',
    argv,
    {
      ...helpOption,
      role: { type: 'string' },
      feature: { type: 'string', multiple: true },
      kernel: { type: 'string' },
      tree: { type: 'string' },
      arch: { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (values.help) {
    io.out(usage);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`check-config: expected one .config file, got ${positionals.length}; see: pvmatrix check-config --help`);
  const file = positionals[0]!;
  if (values.role === undefined) throw new UsageError(`check-config: --role is required; allowed: ${ROLES.join(', ')}`);
  const role = oneOf<Role>('role', values.role, ROLES);
  const features = (values.feature ?? [])
    .flatMap((f) => f.split(','))
    .filter((f) => f !== '')
    .map((f) => oneOf('feature', f, knownFeatures()));
  const tree = oneOf<KernelTree>('tree', values.tree ?? 'mainline', KERNEL_TREES);

  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UsageError(`check-config: ${file}: not a file`);
    text = readFileSync(file, 'latin1');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `check-config: ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`,
    );
  }
  const parsed = parseKconfig(text);
  const config = new Map(Object.entries(parsed.values));
  if (config.size === 0) throw new UsageError(`check-config: ${file}: not a kernel .config (no CONFIG_ lines)`);

  const version = values.kernel ?? parsed.version ?? /^# Linux kernel version: (\S+)$/m.exec(text)?.[1];
  if (version === undefined)
    throw new UsageError(`check-config: ${file}: no "# Linux/x86 VERSION Kernel Configuration" header line; pass --kernel VERSION`);
  if (!/^\d+\.\d+/.test(version))
    throw new UsageError(
      `check-config: ${values.kernel === undefined ? `${file}: header` : '--kernel'} "${version}" is not a kernel version such as 2.6.30 or 6.1.0`,
    );
  const arch = values.arch !== undefined ? oneOf<Arch>('arch', values.arch, ARCHES) : archOfConfig(config);
  if (arch === undefined)
    throw new UsageError(
      `check-config: ${file}: cannot tell the architecture (no CONFIG_X86_64, CONFIG_X86_32 or CONFIG_IA64); pass --arch, one of: ${ARCHES.join(', ')}`,
    );

  const result = checkConfig(config, { version, tree, arch, role, features });
  if (values.json) io.out(`${JSON.stringify({ file, ...result }, null, 2)}\n`);
  else io.out(render(file, result));
  return result.complete ? 0 : 1;
}

const MARK: Record<string, string> = { ok: 'ok', missing: 'MISSING', dropped: 'DROPPED', 'wrong-value': 'WRONG', unavailable: 'N/A' };

export function render(file: string, r: ConfigCheck): string {
  const lines: string[] = [];
  const scope = [r.role, ...r.features].join(' + ');
  lines.push(`${file}: Linux ${r.version} (${r.tree}, ${r.arch}), checked for ${scope}`);
  const told = new Set<string>();
  for (const f of r.findings) {
    const value = f.actual === undefined ? 'not in the file' : `=${f.actual}`;
    const need = f.need === 'ym' ? (f.type === 'bool' ? 'y' : 'y or m') : f.need;
    lines.push(
      `  ${MARK[f.status]!.padEnd(8)} ${f.option.padEnd(26)} ${value.padEnd(16)} for ${f.for.join(', ')}${f.status === 'ok' ? '' : `: needs ${need}; ${f.why.join('; ')}`}`,
    );
    if (f.status === 'dropped') lines.push(`           it is set, but its dependencies do not hold: make oldconfig would drop it`);
    const ex = f.explanation;
    if (ex && ex.chain.length > 0) {
      lines.push(
        `           to make it visible and enabled in ${r.version} (${r.tree}):${ex.possible ? '' : ' NOT POSSIBLE on this kernel/arch'}`,
      );
      const steps = ex.chain.filter(shown);
      const before = steps.filter((s) => !s.ok && s.option !== f.option && told.has(s.option));
      if (before.length > 0) lines.push(`             TODO ${before.map((s) => s.option).join(', ')} (as above)`);
      for (const s of steps) {
        if (before.includes(s)) continue;
        lines.push(`             ${step(s)}`);
        if (!s.ok) told.add(s.option);
      }
    }
  }
  for (const n of r.notes) lines.push(`note: ${n.text} (${n.source})`);
  const bad = r.findings.filter((f) => f.status !== 'ok');
  lines.push(
    bad.length === 0
      ? `complete for ${scope}`
      : `${bad.length} option${bad.length === 1 ? '' : 's'} to fix for ${scope}: ${bad.map((f) => f.option).join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Environment symbols that hold and fixed arch symbols that hold are noise in the chain. */
function shown(s: ChainStep): boolean {
  return !s.ok || (s.action !== 'assumed' && s.action !== 'fixed');
}

function step(s: ChainStep): string {
  const mark = s.ok ? 'ok ' : 'TODO';
  const target = s.want === 'on' ? 'y' : 'n';
  const what = `${s.option}${s.ok ? `=${s.current}` : ` -> ${target}`}`;
  const how =
    s.action === 'set' || s.action === 'unset'
      ? s.prompt
        ? `"${s.prompt}"`
        : ''
      : s.action === 'automatic'
        ? `(${s.note?.startsWith('on by default') ? s.note : 'automatic once its dependencies hold'})`
        : s.action === 'select'
          ? '(no prompt: selected by another option)'
          : s.action === 'fixed' || s.action === 'unavailable'
            ? `(${s.note})`
            : s.note
              ? `(${s.note})`
              : '';
  const where = s.location ? ` in ${s.location}` : '';
  const via =
    s.selectedBy && !s.ok
      ? `; or choose ${s.selectedBy.map((x) => `${x.option}${x.prompt ? ` "${x.prompt}"` : ''} (${x.location})`).join(' or ')}, which selects it`
      : '';
  const forWhom = s.neededBy ? ` (for ${s.neededBy})` : '';
  const fact = s.fact && !s.ok ? ` [${s.fact.source}${s.fact.verified ? '' : ', unverified'}]` : '';
  return `${mark} ${what} ${how}${where}${forWhom}${via}${fact}`.replace(/ {2,}/g, ' ');
}

export const command: Command = {
  name: 'check-config',
  summary: 'what a kernel .config lacks for dom0/domU and features, with the dependency chains',
  usage,
  run: (argv) => checkConfigCommand(argv, processIo),
};
