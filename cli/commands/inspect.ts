import { inspectFile, ImageError } from '../../emulator/images/index.ts';
import { describeImage, imageJson } from '../../tools/inspect.ts';
import { helpOption, parseCommandArgs } from '../args.ts';
import { processIo, UsageError, type Command, type Io } from '../command.ts';

const usage = `usage: pvmatrix inspect FILE... [--config FILE] [--json]

What each file is, read from its bytes: a bzImage (boot protocol, payload and its
compression, the ELF inside), an ELF or gzipped ELF kernel (class, machine, Xen notes,
__xen_guest), a Xen hypervisor (version, debug or release, multiboot), or a .config;
with the Linux version banner and the embedded IKCONFIG when the kernel has them.

options:
  --config FILE   a .config that goes with the images (a hypervisor's xen-X.config beside
                  xen-X.gz is used without it)
  --json          JSON instead of text (fields in docs/inspect.md)
  -h, --help      this help

exit codes: 0 every file read; 2 some file missing, unreadable, unrecognised or corrupt
            (the others are still reported)
`;

export async function inspect(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'inspect',
    argv,
    { ...helpOption, json: { type: 'boolean' }, config: { type: 'string' } },
    true,
  );
  if (values.help) {
    io.out(usage);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('inspect: expected at least one FILE; see: pvmatrix inspect --help');
  let failed = false;
  const results: Record<string, unknown>[] = [];
  for (const path of positionals) {
    try {
      const info = await inspectFile(path, { config: values.config });
      if (info.kind === 'unknown')
        throw new ImageError(
          path,
          undefined,
          'not a recognised image: expected a bzImage, an ELF kernel, a gzipped ELF, a Xen hypervisor image or a .config',
        );
      results.push({ path, ok: true, ...imageJson(info) });
      if (!values.json) io.out(`${describeImage(info, path)}\n`);
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      failed = true;
      results.push({ path, ok: false, error: e.problem, ...(e.offset === undefined ? {} : { offset: e.offset }) });
      io.err(`inspect: ${e.message}\n`);
    }
  }
  if (values.json) io.out(`${JSON.stringify({ schema: 'pvmatrix/inspect@1', files: results }, null, 2)}\n`);
  return failed ? 2 : 0;
}

export const command: Command = {
  name: 'inspect',
  summary: 'what a kernel, hypervisor image or .config is, read from its bytes',
  usage,
  run: (argv) => inspect(argv, processIo),
};
