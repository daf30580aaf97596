import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cleanLine, isFatal, milestoneOf, parseMarker, type Marker, type Milestone } from './markers.ts';

/** One QEMU boot: Xen via multiboot, dom0 kernel and initrd as modules (realboot.md §3, §7). */
export interface BootSpec {
  qemu: string;
  /** Absent for a native boot: QEMU loads the bzImage itself (`-kernel`), no hypervisor. */
  xen?: string;
  xenCmdline: string;
  dom0Kernel: string;
  dom0Cmdline: string;
  initrd: string;
  initrdBytes: number;
  memMiB: number;
  cpu: string;
}

export interface TimedLine {
  ms: number;
  text: string;
}

export interface BootFailure {
  kind: 'timeout' | 'fatal' | 'spawn' | 'abort' | 'exit';
  detail: string;
}

export interface BootRun {
  argv: string[];
  lines: TimedLine[];
  markers: { ms: number; marker: Marker }[];
  milestones: Partial<Record<Milestone, number>>;
  exitCode: number | null;
  durationMs: number;
  failure?: BootFailure;
}

/** A literal comma in a multiboot module's file name or arguments is written `,,`. */
const moduleArg = (file: string, args: string) => `${file} ${args}`.replace(/,/g, ',,');

export function qemuArgv(b: BootSpec): string[] {
  if (!b.xen) {
    return [
      '-display',
      'none',
      '-no-reboot',
      '-monitor',
      'none',
      '-serial',
      'stdio',
      '-m',
      `${b.memMiB}M`,
      '-smp',
      '2',
      '-cpu',
      b.cpu,
      '-accel',
      'tcg,thread=single',
      '-kernel',
      b.dom0Kernel,
      '-append',
      b.dom0Cmdline,
      '-initrd',
      b.initrd,
    ];
  }
  return [
    '-display',
    'none',
    '-no-reboot',
    '-monitor',
    'none',
    '-serial',
    'stdio',
    '-m',
    `${b.memMiB}M`,
    '-smp',
    '2',
    '-cpu',
    b.cpu,
    '-accel',
    'tcg,thread=single',
    '-kernel',
    b.xen,
    '-append',
    b.xenCmdline,
    '-initrd',
    `${moduleArg(b.dom0Kernel, b.dom0Cmdline)},${b.initrd.replace(/,/g, ',,')}`,
  ];
}

/** Every QEMU this process started and has not seen exit: killed if we exit first. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const p of running)
      if (p.pid)
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
  };
  process.on('exit', killAll);
  // A signal ends node without 'exit' handlers: kill the boots, and exit if nobody else listens.
  for (const [sig, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const) {
    process.on(sig, () => {
      killAll();
      if (process.listenerCount(sig) === 1) process.exit(code);
    });
  }
}

export const activeBoots = () => running.size;

/** One console line into the run's record: cleaned, time-stamped, its marker and milestone noted. */
export function ingestLine(
  run: Pick<BootRun, 'lines' | 'markers' | 'milestones'>,
  raw: string,
  ms: number,
): { text: string; marker?: Marker; milestone?: Milestone } {
  const text = cleanLine(raw);
  run.lines.push({ ms, text });
  const milestone = milestoneOf(text);
  if (milestone && run.milestones[milestone] === undefined) run.milestones[milestone] = ms;
  const marker = parseMarker(text);
  if (marker) {
    run.markers.push({ ms, marker });
    if (marker.kind === 'init') run.milestones['dom0-init'] = ms;
  }
  return { text, marker, milestone };
}

export interface BootOptions {
  signal: AbortSignal;
  /** >= 1: how many boots share the cores; every timeout is multiplied by it. */
  scale: number;
  /** After dom0's /init: the longest silence (no marker) a step may cause. */
  stepBudgetMs: number;
  log?: (line: string) => void;
}

export function runBoot(spec: BootSpec, opts: BootOptions): Promise<BootRun> {
  installExitHook();
  const argv = qemuArgv(spec);
  const start = Date.now();
  const run: BootRun = { argv: [spec.qemu, ...argv], lines: [], markers: [], milestones: {}, exitCode: null, durationMs: 0 };
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(spec.qemu, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      run.failure = { kind: 'spawn', detail: `could not start ${spec.qemu}: ${(e as Error).message}` };
      return resolve(run);
    }
    running.add(child);
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const elapsed = () => Date.now() - start;
    const kill = (failure?: BootFailure) => {
      if (failure && !run.failure) run.failure = failure;
      if (child.pid && child.exitCode === null)
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
    };
    const arm = (ms: number, what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => kill({ kind: 'timeout', detail: `${what} (no progress for ${Math.round(ms / 1000)} s)` }), ms);
    };
    const s = opts.scale;
    const initCap = (120_000 + (spec.initrdBytes / (8 << 20)) * 1000) * s;
    arm(15_000 * s, spec.xen ? 'Xen did not start' : 'the kernel did not start');
    const cap = setTimeout(
      () =>
        run.milestones['dom0-init'] === undefined &&
        kill({ kind: 'timeout', detail: `dom0's /init did not start within ${Math.round(initCap / 1000)} s` }),
      initCap,
    );
    let done = false;
    const onAbort = () => kill({ kind: 'abort', detail: 'the run was cancelled (timeout or Ctrl-C)' });
    opts.signal.addEventListener('abort', onAbort, { once: true });
    if (opts.signal.aborted) onAbort();

    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (raw) => {
      const ms = elapsed();
      const seen = ingestLine(run, raw, ms);
      // Before the agent speaks, any console line is progress (a busy host slows the boot
      // down, it does not stop it); the hard cap catches a boot that chatters forever.
      if ((run.milestones.xen !== undefined || !spec.xen) && run.milestones['dom0-init'] === undefined)
        arm(30_000 * s, spec.xen ? "dom0's /init did not start" : "the kernel's /init did not start");
      const marker = seen.marker;
      if (marker) {
        if (marker.kind === 'done') {
          // Every result is in: the agent waits for us to stop the machine (see translate.ts).
          done = true;
          kill();
        } else if (!done) arm(opts.stepBudgetMs + 15_000 * s, 'the agent went silent');
        if (marker.kind !== 'data') opts.log?.(`[${(ms / 1000).toFixed(1)}s] ${seen.text.slice(seen.text.indexOf('@@PVM'))}`);
      } else if (!run.failure && isFatal(seen.text)) {
        run.failure = { kind: 'fatal', detail: seen.text };
        // Let Xen print the rest of its panic box (the refusal line follows the first stars).
        clearTimeout(timer);
        timer = setTimeout(() => kill(), 3000);
      }
    });
    child.stderr!.on('data', (c: Buffer) => {
      for (const l of c.toString().split('\n')) if (l.trim()) run.lines.push({ ms: elapsed(), text: `[qemu stderr] ${l.trim()}` });
    });
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(cap);
      running.delete(child);
      opts.signal.removeEventListener('abort', onAbort);
      run.exitCode = code;
      run.durationMs = elapsed();
      if (!done && !run.failure) {
        run.failure = { kind: 'exit', detail: `QEMU exited (code ${code}) before the agent finished` };
      }
      resolve(run);
    };
    child.on('error', (e) => {
      run.failure ??= { kind: 'spawn', detail: `could not start ${spec.qemu}: ${e.message}` };
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}
