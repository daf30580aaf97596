/**
 * Turning a cell's profiles into models, once per profile: Xen builds and kernels, with
 * their real images and .config files read through the image layer when present.
 */
import { readdirSync, existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { KernelProfile, XenProfile } from '../domain/profiles.ts';
import { inspectFile } from './images/index.ts';
import type { ImageInfo } from './images/types.ts';
import { knowledge } from './knowledge/index.ts';
import { KernelModel } from './kernel/model.ts';
import { XenBuild } from './xen/build.ts';

/**
 * The newest file matching a simple glob (`*` and `?` in the last path component only), in
 * version order (`vmlinuz-6.1.10` after `vmlinuz-6.1.9`): every backend resolves a profile's
 * image with this one rule, so that they compare the same file.
 */
export function resolveGlob(pattern: string): string | undefined {
  if (!/[*?]/.test(pattern)) return existsSync(pattern) ? pattern : undefined;
  const dir = dirname(pattern);
  const re = new RegExp(
    `^${basename(pattern)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const hits = names.filter((n) => re.test(n)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return hits.length ? `${dir}/${hits[hits.length - 1]}` : undefined;
}

export async function xenBuildOf(id: string, profile: XenProfile): Promise<XenBuild> {
  const preset = profile.preset ? knowledge.builds[profile.preset] : undefined;
  const imagePath = resolveGlob(profile.image ?? preset?.image ?? '');
  const configPath = resolveGlob(profile.config ?? preset?.config ?? '');
  let hv: ImageInfo | undefined;
  if (imagePath) hv = await inspectFile(imagePath, configPath ? { config: configPath } : {});
  const config = hv?.config;
  return new XenBuild(
    id,
    profile,
    imagePath || configPath ? { hypervisor: hv?.hypervisor, imagePath, config, configPath: configPath ?? hv?.configSource } : undefined,
  );
}

export async function kernelModelOf(id: string, profile: KernelProfile): Promise<KernelModel> {
  const imagePath = resolveGlob(profile.image ?? '');
  const configPath = resolveGlob(profile.config ?? '');
  if (!imagePath && !configPath) return new KernelModel(id, profile);
  const image = imagePath ? await inspectFile(imagePath, configPath ? { config: configPath } : {}) : undefined;
  let config = image?.config;
  if (!config && configPath) config = (await inspectFile(configPath)).config;
  return new KernelModel(id, profile, { image, imagePath, config, configPath: configPath ?? image?.configSource });
}
