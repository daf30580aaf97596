import { cpus, loadavg } from 'node:os';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Backend, RunContext } from '../../contracts/backend.ts';
import type { Cell } from '../../contracts/cell.ts';
import type { BackendResult } from '../../contracts/result.ts';
import { busyboxPart, modulesPart, payloadPart, toolstackPart } from './archives.ts';
import { planBoots, type BootPlan } from './boots.ts';
import { cachePaths } from './cache.ts';
import { cannotRunReason, readCell, resolveImage, type RealCell } from './cells.ts';
import { which } from './host.ts';
import { newcArchive, padTo4 } from './newc.ts';
import { prepareKernel, prepareXen, type KernelFormat } from './prepare.ts';
import { activeBoots, runBoot, type BootRun, type BootSpec } from './qemu.ts';
import { scenarioResult } from './results.ts';
import { sniffKernel } from './sniff.ts';
import { ensureToolstackCached } from './setup.ts';
import { translate, type ScenarioPlan } from './translate.ts';
import { normaliseStep } from '../../domain/steps/normalise.ts';

/** A domU scenario without a boot step boots its domU first. */
const IMPLICIT_BOOT = normaliseStep({ boot: null, title: 'boot (implicit)' });

/** Debian's kernel serves as dom0 for domU cells (realboot.md: the fast uncompressed vmlinux). */
export const HOST_DOM0_KERNEL = '/boot/vmlinuz-*-amd64';

export function createQemuBackend(): Backend {
  return {
    name: 'qemu',
    // One QEMU per core at most (thread=single: each boot keeps one host core busy), 2 at most.
    concurrency: () => Math.max(1, Math.min(2, cpus().length)),
    groupKey(cell: Cell): string {
      const { xen, kernel, role, arch } = cell.axes;
      return `qemu|xen=${xen}|kernel=${kernel}|role=${role}|arch=${arch}`;
    },
    cannotRun: (cell: Cell) => cannotRunReason(readCell(cell)),
    run: (cells, ctx) => runGroup(cells, ctx),
  };
}

async function* runGroup(cells: readonly Cell[], ctx: RunContext): AsyncGenerator<{ id: string; result: BackendResult }> {
  const real = cells.map(readCell);
  const runnable: RealCell[] = [];
  for (const rc of real) {
    const why = cannotRunReason(rc);
    if (why) yield { id: rc.cell.id, result: { outcome: 'skipped', reason: why, facts: [], steps: [], transcript: [] } };
    else runnable.push(rc);
  }
  for (const boot of planBoots(runnable)) {
    if (ctx.signal.aborted) {
      for (const rc of boot.cells) yield { id: rc.cell.id, result: brokenResult('the run was cancelled before this boot started') };
      continue;
    }
    yield* runOneBoot(boot, ctx);
  }
}

const brokenResult = (reason: string, transcript: string[] = []): BackendResult => ({
  outcome: 'broken',
  reason,
  facts: [],
  steps: [],
  transcript,
});

let runCounter = 0;

/**
 * How much slower than a quiet host this boot will run: the boots of ours running at once,
 * or the host's load per core when others (CI, other jobs) keep it busier. Every timeout is
 * multiplied by it (realboot.md §6: beyond the free cores, wall time grows linearly).
 */
export function contention(): number {
  return Math.max(1, activeBoots() + 1, loadavg()[0]! / Math.max(1, cpus().length));
}
const shellQuote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

async function* runOneBoot(boot: BootPlan, ctx: RunContext): AsyncGenerator<{ id: string; result: BackendResult }> {
  let prepared: Awaited<ReturnType<typeof prepareBoot>>;
  try {
    prepared = await prepareBoot(boot);
  } catch (e) {
    for (const rc of boot.cells) yield { id: rc.cell.id, result: brokenResult(`preparing the real boot failed: ${(e as Error).message}`) };
    return;
  }
  const { translation, plans, spec, dir, xenVersion, scale } = prepared;
  ctx.log?.(`qemu: booting ${boot.cells.length} cell(s) (${boot.native ? 'native' : boot.role}) on ${spec.xen ?? 'bare hardware'}`);
  let run: BootRun;
  try {
    run = await runBoot(spec, { signal: ctx.signal, scale, stepBudgetMs: translation.maxStepBudgetMs, log: ctx.log });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await keepSerialLog(run, boot);
  const source = `real boot: ${xenVersion} under QEMU TCG (serial log; reproduce with ${run.argv.map(shellQuote).join(' ')})`;
  for (const [i, rc] of boot.cells.entries()) {
    yield { id: rc.cell.id, result: scenarioResult(plans[i]!, run, source) };
  }
}

/** PVMATRIX_QEMU_LOGS=DIR keeps every boot's serial log (time-stamped) for later reading. */
async function keepSerialLog(run: BootRun, boot: BootPlan): Promise<void> {
  const dir = process.env.PVMATRIX_QEMU_LOGS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  const name = `${boot.native ? 'native' : boot.role}-${boot.cells.map((c) => c.cell.scenario).join('+')}-${Date.now()}.log`.replace(
    /[^\w.+-]/g,
    '_',
  );
  const head = [
    `# ${run.argv.map(shellQuote).join(' ')}`,
    `# exit ${run.exitCode}${run.failure ? `, ${run.failure.kind}: ${run.failure.detail}` : ''}`,
  ];
  await writeFile(
    join(dir, name),
    `${[...head, ...run.lines.map((l) => `${(l.ms / 1000).toFixed(3).padStart(8)} ${l.text}`)].join('\n')}\n`,
  );
}

let swept = false;
/** Run folders of pvmatrix processes that died before cleaning up (killed mid-boot). */
async function sweepStaleRuns(): Promise<void> {
  if (swept) return;
  swept = true;
  const { readdir } = await import('node:fs/promises');
  for (const d of await readdir(cachePaths().runs).catch(() => [] as string[])) {
    const pid = Number(d.split('-')[0]);
    let alive = pid === process.pid;
    if (!alive && pid > 0)
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        /* gone */
      }
    if (!alive) await rm(join(cachePaths().runs, d), { recursive: true, force: true });
  }
}

async function prepareBoot(boot: BootPlan) {
  await sweepStaleRuns();
  if (boot.native) return prepareNativeBoot(boot);
  const first = boot.cells[0]!;
  const toolstack = await ensureToolstackCached();
  const xen = await prepareXen(first.xenImage!);
  const dom0Image = boot.role === 'dom0' ? first.kernelImage! : (first.dom0Image ?? resolveImage(HOST_DOM0_KERNEL));
  if (!dom0Image) throw new Error(`no dom0 kernel for domU cells: ${HOST_DOM0_KERNEL} is not installed (pvmatrix setup qemu)`);
  const dom0Format: KernelFormat = boot.role === 'dom0' ? (first.format as KernelFormat) : 'vmlinux';
  const dom0Kernel = await prepareKernel(dom0Image, dom0Format);
  const dom0Release = sniffKernel(dom0Image).release;
  const parts = [await busyboxPart(), await toolstackPart(toolstack)];
  const dom0Modules = await modulesPart(dom0Release);
  if (dom0Modules) parts.push(dom0Modules.path);

  const plans: ScenarioPlan[] = boot.cells.map((rc, index) => ({
    index,
    role: boot.role,
    steps: boot.role === 'domU' && rc.steps[0]?.action !== 'boot' ? [IMPLICIT_BOOT, ...rc.steps] : rc.steps,
    axes: rc.cell.axes,
    domu: boot.role === 'domU' ? { kernel: `/boot/k-${rc.format}`, cmdline: rc.kernelCmdline ?? '' } : undefined,
  }));
  const scale = contention();
  const translation = translate(plans, scale);
  const runFiles: { name: string; data: Buffer; mode?: number }[] = [
    { name: 'init', data: Buffer.from(translation.dom0Init), mode: 0o755 },
  ];
  if (boot.role === 'domU') {
    for (const fmt of new Set(boot.cells.map((c) => c.format as KernelFormat))) {
      parts.push(await payloadPart((await prepareKernel(first.kernelImage!, fmt)).path, `k-${fmt}`));
    }
    const guestModules = await modulesPart(sniffKernel(first.kernelImage!).release);
    const guestParts = [await readFile(await busyboxPart()), ...(guestModules ? [await readFile(guestModules.path)] : [])].map(padTo4);
    const guestInit = newcArchive([{ name: 'init', kind: 'file', data: Buffer.from(translation.guestInit ?? ''), mode: 0o755 }]);
    runFiles.push({ name: 'boot/domu-initrd.gz', data: Buffer.concat([...guestParts, guestInit]) });
  }
  const runCpio = newcArchive([
    { name: 'boot', kind: 'dir' },
    ...runFiles.map((f) => ({ name: f.name, kind: 'file' as const, data: f.data, mode: f.mode })),
  ]);
  const dir = join(cachePaths().runs, `${process.pid}-${++runCounter}`);
  await mkdir(dir, { recursive: true });
  const initrd = join(dir, 'initrd');
  const bufs = [...(await Promise.all(parts.map((p) => readFile(p)))).map(padTo4), runCpio];
  await writeFile(initrd, Buffer.concat(bufs));
  await writeFile(join(dir, 'init.sh'), translation.dom0Init);
  const qemu = (await which('qemu-system-x86_64')) ?? 'qemu-system-x86_64';
  const spec = {
    qemu,
    xen: xen.path,
    xenCmdline: boot.xenCmdline,
    dom0Kernel: dom0Kernel.path,
    dom0Cmdline: boot.dom0Cmdline,
    initrd,
    initrdBytes: (await stat(initrd)).size,
    memMiB: boot.memMiB,
    cpu: 'qemu64',
  };
  const xenVersion = `Xen ${first.cell.axes.xen} (${first.xenImage})`;
  return { translation, plans, spec, dir, xenVersion, scale };
}

/**
 * A native boot (research/realboot.md §2): QEMU loads the bzImage under test itself, with an
 * initrd of busybox and the agent as /init; no hypervisor, no toolstack.
 */
async function prepareNativeBoot(boot: BootPlan) {
  const first = boot.cells[0]!;
  const kernel = await prepareKernel(first.kernelImage!, 'bzImage');
  const plans: ScenarioPlan[] = boot.cells.map((rc, index) => ({ index, role: 'dom0', native: true, steps: rc.steps, axes: rc.cell.axes }));
  const scale = contention();
  const translation = translate(plans, scale);
  const runCpio = newcArchive([{ name: 'init', kind: 'file', data: Buffer.from(translation.dom0Init), mode: 0o755 }]);
  const dir = join(cachePaths().runs, `${process.pid}-${++runCounter}`);
  await mkdir(dir, { recursive: true });
  const initrd = join(dir, 'initrd');
  await writeFile(initrd, Buffer.concat([padTo4(await readFile(await busyboxPart())), runCpio]));
  await writeFile(join(dir, 'init.sh'), translation.dom0Init);
  const qemu = (await which('qemu-system-x86_64')) ?? 'qemu-system-x86_64';
  const spec: BootSpec = {
    qemu,
    xenCmdline: '',
    dom0Kernel: kernel.path,
    dom0Cmdline: boot.dom0Cmdline,
    initrd,
    initrdBytes: (await stat(initrd)).size,
    memMiB: boot.memMiB,
    cpu: 'qemu64',
  };
  return { translation, plans, spec, dir, xenVersion: `no hypervisor (native boot of ${first.kernelImage})`, scale };
}
