import { readFileSync, statSync } from 'node:fs';
import { ARCHES, type Arch, ROLES, type Role } from '../../domain/axes.ts';
import { KERNEL_TREES } from '../../domain/profiles.ts';
import { parseKconfig } from '../../emulator/images/kconfig.ts';
import { type KernelTree, checkConfig, knownFeatures } from '../../emulator/kconfig/index.ts';
import { archOfConfig, render } from '../../tools/check-config.ts';
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

export const command: Command = {
  name: 'check-config',
  summary: 'what a kernel .config lacks for dom0/domU and features, with the dependency chains',
  usage,
  run: (argv) => checkConfigCommand(argv, processIo),
};
