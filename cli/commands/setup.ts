import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, UsageError, type Command, type Io } from '../command.ts';

const usage = `usage: pvmatrix setup qemu

Prepares the real backend (run --backend qemu): installs with apt-get what is missing of
qemu-system-x86, xen-hypervisor-4.17-amd64, linux-image-amd64, busybox-static and cpio
(needs root), downloads the xl toolstack's packages and unpacks them into the cache
without installing them (no services start), and prepares the artifacts: Xen gunzipped for
QEMU's multiboot loader, vmlinux and vmlinux.gz from Debian's bzImage, and the initramfs
parts (busybox, toolstack, Xen modules). Idempotent: a second run checks the manifest and
says that everything was already there.

The cache is ~/.cache/pvmatrix/qemu (set PVMATRIX_CACHE to move it).

options:
  -h, --help            this help
`;

export async function setup(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('setup', argv, { ...helpOption }, true);
  if (values.help) {
    io.out(usage);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'qemu') {
    throw new UsageError(
      `setup: name what to set up; the only choice is \`qemu\` (got ${positionals.length ? positionals.join(' ') : 'nothing'}); see: pvmatrix setup --help`,
    );
  }
  // Loaded only here: the emulator path never needs the real backend's code.
  const { runSetup, SetupError } = await import('../../backends/qemu/setup.ts');
  const started = Date.now();
  try {
    const report = await runSetup((line) => io.out(`setup: ${line}\n`));
    for (const s of report.steps) io.out(`  ${s.fresh ? 'cached ' : 'made   '} ${s.what}: ${s.path}\n`);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    io.out(
      report.allFresh
        ? `setup: everything was already in place (${report.cache}), checked in ${secs} s\n`
        : `setup: done in ${secs} s; cache: ${report.cache}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof SetupError) {
      io.err(`pvmatrix setup qemu: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

export const command: Command = {
  name: 'setup',
  summary: 'prepare the real backend: packages, xl toolstack, Xen and kernel artifacts (setup qemu)',
  usage,
  run: (argv) => setup(argv, processIo),
};
