/**
 * A Xen build: an upstream release + distro backports + build options (debug, pv32) +
 * the toolstack in use. Its capabilities are the release's, plus backports, minus what a
 * build option compiled out. Built once per profile.
 */
import type { XenProfile } from '../../domain/profiles.ts';
import type { HypervisorInfo } from '../images/types.ts';
import { knowledge, lookup, factOf, type Decision, type Fact, type XenBuildPreset } from '../knowledge/index.ts';
import { compareVersions, parseVersion, type Version } from '../version.ts';

export class XenBuildError extends Error {}

export class XenBuild {
  readonly version: Version;
  /** "4.17.7" when the real image says so, else the profile's version. */
  readonly fullVersion: string;
  readonly name: string;
  readonly debug: boolean;
  readonly debugFact: Fact;
  /** undefined: the release has no such option (32-bit PV always built in). */
  readonly pv32: boolean | undefined;
  readonly pv32Fact?: Fact;
  readonly toolstack: 'xend' | 'xl';
  readonly toolstackFact: Fact;
  readonly cmdline: string;
  readonly dom0Kernel?: string;
  readonly preset?: XenBuildPreset;
  private backports = new Map<string, Decision>();
  private caps = new Map<string, Decision>();

  constructor(
    readonly id: string,
    profile: XenProfile,
    readonly real?: { hypervisor?: HypervisorInfo; imagePath?: string; config?: Record<string, string>; configPath?: string },
  ) {
    const preset = profile.preset ? knowledge.builds[profile.preset] : undefined;
    if (profile.preset && !preset)
      throw new XenBuildError(`unknown Xen preset "${profile.preset}"; known: ${Object.keys(knowledge.builds).join(', ')}`);
    this.preset = preset;
    const versionText = profile.version ?? preset?.version;
    if (!versionText) throw new XenBuildError(`Xen profile "${id}" has neither version nor preset`);
    this.version = parseVersion(versionText);
    if (compareVersions(this.version, '3.0') < 0 || compareVersions(this.version, '4.20') >= 0) {
      throw new XenBuildError(`Xen ${versionText} is outside what the emulator knows (3.0 to 4.19)`);
    }
    this.fullVersion = real?.hypervisor?.version ?? versionText;
    this.name = profile.name ?? preset?.name ?? `Xen ${versionText}`;
    for (const b of preset?.backports ?? []) {
      this.backports.set(b.capability, { has: b.value !== false, value: b.value, fact: factOf(b), backport: true });
    }
    for (const id of profile.backports ?? []) {
      if (!knowledge.xen.has(id)) throw new XenBuildError(`backport "${id}" is not a known Xen capability`);
      this.backport(id, `profile ${this.id}`);
    }

    // Debug: the profile says so, else the real hypervisor's .config or image.
    const realDebug = real?.config ? real.config.DEBUG === 'y' : real?.hypervisor?.debug;
    this.debug = profile.debug ?? realDebug ?? false;
    this.debugFact =
      profile.debug !== undefined
        ? {
            text: `${this.name} is a ${this.debug ? 'debug' : 'release'} build (debug: ${this.debug} in the profile)`,
            source: `profile ${id}`,
            verified: true,
          }
        : realDebug !== undefined
          ? {
              text: `${this.name} is a ${this.debug ? 'debug' : 'release'} build (${real?.config ? `${this.debug ? 'CONFIG_DEBUG=y' : '# CONFIG_DEBUG is not set'}` : 'image marker'})`,
              source: real?.configPath ?? real?.imagePath ?? 'the hypervisor image',
              verified: true,
            }
          : {
              text: `${this.name} is a release build (release tags ship debug=n)`,
              source: 'Config.mk / xen/Kconfig.debug at the release tag',
              verified: true,
            };

    const pv32 = profile.build?.pv32 ?? preset?.build?.pv32 ?? (real?.config ? real.config.PV32 === 'y' : undefined);
    if (pv32 !== undefined) {
      const opt = this.cap('hv.pv32.optional');
      if (!opt.has && pv32 === false) throw new XenBuildError(`Xen ${versionText} has no pv32 build option: ${opt.fact.text}`);
      this.pv32 = opt.has ? pv32 : undefined;
      this.pv32Fact =
        pv32 === false
          ? {
              text: `${this.name} is built without 32-bit PV support (# CONFIG_PV32 is not set)`,
              source: real?.configPath ?? preset?.source ?? `profile ${id}`,
              verified: true,
            }
          : undefined;
    }

    const xendDefault = this.cap('tools.xend-default');
    this.toolstack = profile.toolstack ?? (xendDefault.has ? 'xend' : 'xl');
    this.toolstackFact = profile.toolstack
      ? { text: `the profile selects ${profile.toolstack}`, source: `profile ${id}`, verified: true }
      : xendDefault.fact;
    this.cmdline = profile.cmdline ?? '';
    this.dom0Kernel = profile.dom0 ?? preset?.dom0;
  }

  /**
   * A backport named by id only: the capability as upstream introduced it (its value at its
   * first release, e.g. the loader's 2.08 protocol minimum), with what came in the same change.
   */
  private backport(id: string, source: string): void {
    if (this.backports.has(id)) return;
    const introduced = knowledge.xen.get(id)!.find((e) => e.since !== undefined);
    const upstream = introduced ? lookup(knowledge.xen, id, parseVersion(introduced.since!)) : undefined;
    this.backports.set(id, {
      has: true,
      value: upstream?.value ?? true,
      fact: {
        text: `${this.name} carries a backport of ${id}${upstream ? `: ${upstream.fact.text}` : ''}`,
        source: upstream ? `${source}; ${upstream.fact.source}` : source,
        verified: true,
      },
      backport: true,
    });
    for (const companion of introduced?.brings ?? []) this.backport(companion, `${source} (with ${id})`);
  }

  /** A capability of this build: a backport wins over the release's history. */
  cap(id: string): Decision {
    let d = this.backports.get(id) ?? this.caps.get(id);
    if (!d) this.caps.set(id, (d = lookup(knowledge.xen, id, this.version)));
    return d;
  }

  get release(): string {
    return this.version.text;
  }
}
