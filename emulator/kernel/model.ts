/**
 * One Linux kernel as the emulator knows it: version + tree (+ the real image and .config
 * when the profile has them). Built once per profile in `prepare`; cells only read it.
 */
import type { Arch } from '../../domain/axes.ts';
import type { KernelProfile } from '../../domain/profiles.ts';
import type { ImageInfo } from '../images/types.ts';
import { knowledge, lookup, type Decision } from '../knowledge/index.ts';
import { parseVersion, type Version } from '../version.ts';
import { kernelConfig, type KernelConfig } from './config.ts';

export interface RealKernelFiles {
  image?: ImageInfo;
  imagePath?: string;
  config?: Record<string, string>;
  configPath?: string;
}

export class KernelModel {
  readonly version: Version;
  readonly tree: string;
  readonly pvops: boolean;
  /** "2.6.30", "2.6.29-rc7-tip", or the real image's release "6.1.0-56-amd64". */
  readonly release: string;
  readonly displayName: string;
  /** The arch the real files are for (x86_64 for an amd64 image), when there are real files. */
  readonly realArch?: Arch;
  private caps = new Map<string, Decision>();
  private configs = new Map<Arch, KernelConfig>();
  /** Images already described, by arch/format/compression (they depend on nothing else). */
  readonly images = new Map<string, unknown>();

  constructor(
    readonly id: string,
    readonly profile: KernelProfile,
    readonly real?: RealKernelFiles,
  ) {
    this.version = parseVersion(profile.version);
    this.tree = profile.tree;
    this.pvops = knowledge.trees[profile.tree as keyof typeof knowledge.trees]?.pvops ?? true;
    const suffix = profile.tree === 'xen' ? '-xen' : profile.tree === 'tip' ? '-tip' : '';
    this.release = real?.image?.linuxRelease ?? `${profile.version}${suffix}`;
    this.displayName =
      profile.tree === 'mainline' || profile.tree === 'distro'
        ? `Linux ${profile.version}`
        : profile.tree === 'xen.git'
          ? `Linux ${profile.version} (xen.git)`
          : `Linux ${this.release}`;
    const machine = real?.image?.elf?.machine ?? real?.image?.bzImage?.payload?.machine;
    if (real?.image || real?.config) {
      this.realArch =
        machine === 'x86' ? (real?.config?.X86_PAE === 'y' ? 'x86_32-pae' : 'x86_32') : machine === 'ia64' ? 'ia64' : 'x86_64';
    }
  }

  cap(id: string): Decision {
    let d = this.caps.get(id);
    if (!d) this.caps.set(id, (d = lookup(knowledge.linux, id, this.version, this.tree)));
    return d;
  }

  /** The effective config for an arch (the real .config for the real arch). */
  config(arch: Arch): KernelConfig {
    let c = this.configs.get(arch);
    if (!c) {
      const useReal = this.real?.config && arch === this.realArch;
      c = kernelConfig(
        { version: this.version, tree: this.tree, arch },
        useReal ? this.real!.config : undefined,
        this.profile.configOverrides ?? {},
        useReal ? (this.real!.configPath ?? 'the kernel .config') : 'the modelled Xen-capable config',
      );
      this.configs.set(arch, c);
    }
    return c;
  }

  /** The Kconfig symbol that enables PV guest support in this kernel. */
  pvSymbol(arch: Arch): string {
    return this.config(arch).defined('XEN_PV') ? 'XEN_PV' : 'XEN';
  }

  /** The symbol that makes it dom0-capable. */
  dom0Symbol(): string {
    return this.pvops ? 'XEN_DOM0' : 'XEN_PRIVILEGED_GUEST';
  }
}
