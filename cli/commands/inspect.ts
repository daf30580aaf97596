import { inspectFile, ImageError, declaresDom0, type ElfInfo, type ImageInfo } from '../../emulator/images/index.ts';
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

/** Config keys worth a line in the summary, when set. */
const KEY_CONFIG = [
  'XEN',
  'XEN_DOM0',
  'XEN_PV',
  'PARAVIRT',
  'X86_PAE',
  'HIGHMEM64G',
  'XEN_BALLOON',
  'XEN_BALLOON_MEMORY_HOTPLUG',
  'HOTPLUG_CPU',
  'XENFS',
  'XEN_COMPAT_XENFS',
  'HVC_XEN',
  'IKCONFIG',
  'IKCONFIG_PROC',
  'DEBUG',
  'VERBOSE_DEBUG',
  'PV_SHIM',
  'PV32',
];

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
      // bzImage.payload is the same ElfInfo as info.elf: print it once.
      const json = info.bzImage ? { ...info, bzImage: { ...info.bzImage, payload: undefined } } : info;
      results.push({ path, ok: true, ...json });
      if (!values.json) io.out(`${summary(info, path)}\n`);
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

function summary(i: ImageInfo, path: string): string {
  const out: string[] = [`${path}: ${describe(i)}`, `  size ${i.size} bytes, sha256 ${i.sha256}`];
  const bz = i.bzImage;
  if (bz) {
    out.push(
      `  boot protocol ${bz.protocol}, setup_sects ${bz.setupSects}${bz.xloadflags === undefined ? '' : `, xloadflags 0x${bz.xloadflags.toString(16)}`}${bz.initSize === undefined ? '' : `, init_size ${bz.initSize}`}`,
    );
    if (bz.kernelVersion) out.push(`  kernel_version "${bz.kernelVersion}"`);
    if (bz.payloadOffset !== undefined)
      out.push(
        `  payload at ${bz.payloadOffset}, ${bz.payloadLength} bytes, ${bz.compression}${bz.payloadSize === undefined ? '' : ` -> ${bz.payloadSize} bytes`}`,
      );
    else out.push('  no payload fields (boot protocol before 2.08): Xen cannot extract an ELF from it');
  }
  if (i.linuxBanner) out.push(`  ${i.linuxBanner}`);
  if (i.elf) out.push(...elfLines(i.elf));
  const hv = i.hypervisor;
  if (hv) {
    out.push(
      `  Xen ${hv.version}${hv.versionSource ? ` (from the ${hv.versionSource})` : ''}, ${hv.debug === undefined ? 'debug unknown' : hv.debug ? 'debug build' : 'release build'}${hv.debugSource ? ` (from the ${hv.debugSource})` : ''}`,
    );
    out.push(
      `  multiboot headers: ${hv.multibootHeaders?.join(', ') ?? 'none'}${hv.elf ? `; ELF${hv.elf.class} ${hv.elf.machine}, entry ${hv.elf.entry}` : ''}`,
    );
    if (hv.build?.compiler)
      out.push(`  built with ${hv.build.compiler}${hv.build.by ? ` by ${hv.build.by}` : ''}${hv.build.date ? ` on ${hv.build.date}` : ''}`);
    if (hv.build?.changeset) out.push(`  changeset ${hv.build.changeset}`);
  }
  if (i.config) {
    const c = i.config;
    const set = KEY_CONFIG.filter((k) => k in c).map((k) => `${k}=${c[k]}`);
    out.push(`  config (${i.configSource}): ${Object.keys(c).length} options${set.length ? `; ${set.join(' ')}` : ''}`);
  }
  return out.join('\n');
}

function describe(i: ImageInfo): string {
  switch (i.kind) {
    case 'bzImage':
      return `bzImage${i.linuxRelease ? ` (Linux ${i.linuxRelease})` : ''}`;
    case 'elf':
    case 'gzip-elf':
      return `${i.kind === 'elf' ? 'ELF' : 'gzipped ELF'} kernel${i.linuxRelease ? ` (Linux ${i.linuxRelease})` : i.elf?.xenNotes?.guestOs ? ` (guest OS ${i.elf.xenNotes.guestOs})` : ''}`;
    case 'xen':
      return 'Xen hypervisor image';
    case 'kconfig':
      return `.config${i.configHeader ? ` (${i.configHeader})` : ''}`;
    default:
      return 'unknown';
  }
}

function elfLines(e: ElfInfo): string[] {
  const loads = e.programHeaders.filter((p) => p.type === 'PT_LOAD').length;
  const out = [
    `  ELF${e.class} ${e.endian === 'little' ? 'LE' : 'BE'} ${e.machine} ${e.type}, entry ${e.entry}, ${e.programHeaders.length} program headers (${loads} PT_LOAD)`,
  ];
  const n = e.xenNotes;
  if (n) {
    const dom0 = declaresDom0(n);
    const parts = [
      n.guestOs && `GUEST_OS=${n.guestOs}`,
      n.guestVersion && `GUEST_VERSION=${n.guestVersion}`,
      n.xenVersion && `XEN_VERSION=${n.xenVersion}`,
      n.loader && `LOADER=${n.loader}`,
      n.paeModeRaw && `PAE_MODE=${n.paeModeRaw}`,
      n.virtBase && `VIRT_BASE=${n.virtBase}`,
      n.entry && `ENTRY=${n.entry}`,
      n.hypercallPage && `HYPERCALL_PAGE=${n.hypercallPage}`,
      n.phys32Entry && `PHYS32_ENTRY=${n.phys32Entry}`,
    ].filter(Boolean);
    out.push(`  Xen notes (${n.raw.length}): ${parts.join(' ')}`);
    if (n.features) out.push(`  FEATURES: ${n.features.join(' | ')}`);
    if (n.supportedFeatures !== undefined)
      out.push(`  SUPPORTED_FEATURES 0x${n.supportedFeatures.toString(16)} (dom0 ${dom0 ? 'yes' : 'no'})`);
  } else if (!e.xenGuest) {
    out.push('  no Xen notes and no __xen_guest section: not a Xen PV kernel');
  }
  if (e.xenGuest) out.push(`  __xen_guest: ${e.xenGuest.raw}`);
  for (const w of e.warnings ?? []) out.push(`  warning: ${w}`);
  return out;
}

export const command: Command = {
  name: 'inspect',
  summary: 'what a kernel, hypervisor image or .config is, read from its bytes',
  usage,
  run: (argv) => inspect(argv, processIo),
};
