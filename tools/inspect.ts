import { declaresDom0, type ElfInfo, type ImageInfo } from '../emulator/images/index.ts';

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

/** The image as `inspect --json` gives it (fields in docs/inspect.md). */
export function imageJson(info: ImageInfo): ImageInfo {
  // bzImage.payload is the same ElfInfo as info.elf: print it once.
  return info.bzImage ? { ...info, bzImage: { ...info.bzImage, payload: undefined } } : info;
}

/** What `pvmatrix inspect` prints for one image: what it is, then the fields that matter for Xen. */
export function describeImage(i: ImageInfo, path: string): string {
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
