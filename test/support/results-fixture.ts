/**
 * Realistic results.json files built by code, of any size: works / unsupported / broken /
 * skipped cells with reasons and sourced facts, steps, transcripts, a few regressions against
 * a baseline, flaky cells, native-boot cells without xen/role, and a hostile kernel label.
 * The outcome rules below imitate the real Xen/Linux history only to look plausible; the
 * report writers under test never see these rules, only the files.
 */
import type { CellResult } from '../../contracts/result.ts';
import type { ResultsFile } from '../../contracts/results.ts';

export const HOSTILE = '<img src=x onerror=alert(1)>';

export interface FixtureOptions {
  xen?: string[];
  kernels?: string[];
  formats?: string[];
  compressions?: string[];
  arches?: string[];
  roles?: string[];
  scenarios?: string[];
  /** Add a kernel whose label (and reasons) carry an HTML injection attempt. */
  hostile?: boolean;
  /** Rough share of cells that regress against the baseline (0..1). */
  regressionRate?: number;
  brokenRate?: number;
  flakyRate?: number;
  /** Changes which cells get the random regressions/broken/flaky marks. */
  seed?: number;
  started?: string;
}

export interface Fixture {
  file: ResultsFile;
  /** Full console transcripts by cell id (results.json keeps only an excerpt). */
  transcripts: Map<string, string[]>;
}

const XEN_LABELS: Record<string, string> = {
  'fedora11-3.3.1': 'Fedora 11 Xen 3.3.1 (bzImage backport)',
  'debian12-4.17': 'Debian 12 Xen 4.17',
};

function hash(s: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100000) / 100000;
}

function ver(v: string): number[] {
  const m = v.match(/(\d+(?:\.\d+)*)/g);
  const last = m ? m[m.length - 1]! : '0';
  return last.split('.').map(Number);
}
function lt(a: string, b: string): boolean {
  const x = ver(a),
    y = ver(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d < 0;
  }
  return false;
}

export const SMALL: Required<Pick<FixtureOptions, 'xen' | 'kernels' | 'formats' | 'compressions' | 'arches' | 'roles' | 'scenarios'>> = {
  xen: ['3.3', '3.4', 'fedora11-3.3.1', '4.0'],
  kernels: ['2.6.18-xen', '2.6.30', '6.1'],
  formats: ['bzImage', 'vmlinux'],
  compressions: ['gzip', 'xz'],
  arches: ['x86_32-pae', 'x86_64'],
  roles: ['dom0', 'domU'],
  scenarios: ['boot', 'balloon', 'native-boot'],
};

/** Options whose cross product comes close to `cells` cells (within ~15%). */
export function sizedOptions(cells: number): FixtureOptions {
  const scenarios = ['boot', 'balloon', 'cpu-hotplug', 'vbd-hotplug', 'xenfs', 'earlyprintk', 'native-boot'];
  const formats = ['bzImage', 'vmlinux', 'vmlinux.gz'];
  const compressions = ['gzip', 'bzip2', 'xz', 'lzma'];
  const arches = ['x86_32-pae', 'x86_64'];
  // per (xen, kernel): 2 arches x 2 roles x (4 bzImage + 2) formats x 6 Xen scenarios + native ~= 150
  const perPair = arches.length * 2 * (compressions.length + 2) * (scenarios.length - 1);
  const pairs = Math.max(1, Math.round(cells / perPair));
  const nx = Math.max(2, Math.round(Math.sqrt(pairs / 1.6)));
  const nk = Math.max(2, Math.round(pairs / nx));
  const xen = Array.from({ length: nx }, (_, i) => (i === 0 ? 'fedora11-3.3.1' : `${3 + Math.floor((i + 1) / 8)}.${(i + 1) % 8}`));
  const kernels = Array.from({ length: nk }, (_, i) => (i < 20 ? `2.6.${18 + i}` : `${3 + Math.floor((i - 20) / 20)}.${(i - 20) % 20}`));
  return { xen, kernels, formats, compressions, arches, roles: ['dom0', 'domU'], scenarios, hostile: true };
}

export function makeResults(options: FixtureOptions = {}): Fixture {
  const o = {
    ...SMALL,
    hostile: true,
    regressionRate: 0.02,
    brokenRate: 0.01,
    flakyRate: 0.01,
    seed: 1,
    started: '2026-11-24T02:00:00.000Z',
    ...options,
  };
  const kernels = o.hostile ? [...o.kernels, 'evil'] : o.kernels;
  const axes: ResultsFile['axes'] = [
    { name: 'xen', values: o.xen.map((id) => ({ id, label: XEN_LABELS[id] ?? `Xen ${id}` })) },
    { name: 'kernel', values: kernels.map((id) => ({ id, label: id === 'evil' ? HOSTILE : `Linux ${id}` })) },
    { name: 'format', values: o.formats.map((id) => ({ id, label: id })) },
    { name: 'compression', values: o.compressions.map((id) => ({ id, label: id })) },
    { name: 'arch', values: o.arches.map((id) => ({ id, label: id })) },
    { name: 'role', values: o.roles.map((id) => ({ id, label: id })) },
  ];
  const cells: CellResult[] = [];
  const transcripts = new Map<string, string[]>();
  const formatVariants = o.formats.flatMap((f) =>
    f === 'bzImage'
      ? o.compressions.map((c) => ({ format: f, compression: c as string | undefined }))
      : [{ format: f, compression: undefined }],
  );
  for (const scenario of o.scenarios) {
    const native = scenario === 'native-boot';
    for (const xen of native ? [undefined] : o.xen) {
      for (const kernel of kernels) {
        for (const fv of formatVariants) {
          for (const arch of o.arches) {
            for (const role of native ? [undefined] : o.roles) {
              const ax: Record<string, string> = {};
              if (xen) ax.xen = xen;
              ax.kernel = kernel;
              ax.format = fv.format;
              if (fv.compression) ax.compression = fv.compression;
              ax.arch = arch;
              if (role) ax.role = role;
              const { cell, transcript } = makeCell(ax, scenario, o);
              cells.push(cell);
              transcripts.set(cell.id, transcript);
            }
          }
        }
      }
    }
  }
  const count = (f: (c: CellResult) => boolean) => cells.filter(f).length;
  const file: ResultsFile = {
    schema: 'pvmatrix/results@1',
    run: {
      started: o.started,
      finished: new Date(Date.parse(o.started) + 61_000).toISOString(),
      backend: 'emulator',
      matrix: 'matrix.yaml',
      version: '0.1.0',
    },
    summary: {
      cells: cells.length,
      passed: count((c) => c.status === 'passed'),
      failed: count((c) => c.status === 'failed'),
      broken: count((c) => c.status === 'broken'),
      skipped: count((c) => c.status === 'skipped'),
      works: count((c) => c.outcome === 'works'),
      unsupported: count((c) => c.outcome === 'unsupported'),
      flaky: count((c) => c.flaky),
    },
    axes,
    cells,
  };
  return { file, transcripts };
}

type Verdict = Pick<CellResult, 'outcome' | 'reason' | 'facts' | 'expected' | 'expectedFrom'>;

function decide(ax: Record<string, string>, scenario: string, o: Required<FixtureOptions>): Verdict {
  const id = `${Object.values(ax).join('/')}/${scenario}`;
  const xenVersion = ax.xen === 'fedora11-3.3.1' ? '3.4' : ax.xen;
  const kernelName = ax.kernel === 'evil' ? HOSTILE : `Linux ${ax.kernel}`;
  if (ax.arch === 'x86_32' && xenVersion && !lt(xenVersion, '3.3')) {
    const reason = 'Xen 3.3 and later have no non-PAE 32-bit hypervisor';
    return {
      outcome: 'skipped',
      reason,
      facts: [{ text: 'i386: Remove non-PAE hypervisor build target', source: 'xen.git commit 84d54d5d8b', verified: true }],
      expected: 'skipped',
      expectedFrom: 'matrix.yaml:31',
    };
  }
  if (ax.kernel === '2.6.18-xen' && ax.format === 'bzImage') {
    return {
      outcome: 'skipped',
      reason: 'the 2.6.18-xen tree builds vmlinuz only, never a bzImage',
      facts: [
        {
          text: 'The forward-port tree has no bzImage target for Xen',
          source: 'buildconfigs/mk.linux-2.6-xen @ RELEASE-3.4.0',
          verified: false,
        },
      ],
      expected: 'skipped',
      expectedFrom: 'matrix.yaml:28',
    };
  }
  if (ax.role === 'dom0' && ax.format === 'bzImage' && xenVersion && lt(xenVersion, '3.4')) {
    const reason = `Xen ${ax.xen} cannot load a bzImage dom0: the hypervisor gained its bzImage loader in 3.4`;
    return {
      outcome: 'unsupported',
      reason,
      facts: [
        {
          text: 'The dom0 bzImage loader (bzimage_parse) first appears in Xen 3.4',
          source: 'xen/arch/x86/bzimage.c @ RELEASE-3.4.0',
          verified: true,
        },
      ],
      expected: 'unsupported',
      expectedFrom: 'matrix.yaml:44',
    };
  }
  if (ax.compression === 'xz' && ax.kernel !== 'evil' && lt(ax.kernel!, '2.6.38')) {
    const reason = `${kernelName} cannot produce an xz-compressed bzImage: KERNEL_XZ appeared in 2.6.38`;
    return {
      outcome: 'unsupported',
      reason,
      facts: [
        { text: 'xz payload support in the x86 boot decompressor', source: 'arch/x86/boot/compressed/Makefile @ v2.6.38', verified: true },
      ],
      expected: 'unsupported',
      expectedFrom: 'matrix.yaml:52',
    };
  }
  if (scenario === 'xenfs' && (ax.kernel === '2.6.18-xen' || ax.kernel === 'evil' || lt(ax.kernel!, '2.6.29'))) {
    const reason = `${kernelName} has no xenfs: CONFIG_XENFS is not set in its .config`;
    return {
      outcome: 'unsupported',
      reason,
      facts: [
        { text: 'xenfs was merged in 2.6.29', source: 'drivers/xen/xenfs/Kconfig @ v2.6.29', verified: true },
        { text: 'The distro .config leaves it out', source: 'https://wiki.xen.org/wiki/XenParavirtOps', verified: false },
      ],
      expected: 'unsupported',
      expectedFrom: 'matrix.yaml:60',
    };
  }
  const r = hash(id, o.seed);
  if (r < o.brokenRate) {
    return {
      outcome: 'broken',
      reason: 'timeout: no "Freeing unused kernel memory" on the console within 120s (harness killed the run)',
      facts: [],
      expected: 'works',
      expectedFrom: 'default',
    };
  }
  if (r < o.brokenRate + o.regressionRate) {
    return {
      outcome: 'unsupported',
      reason: 'balloon target not reached: current_kb stayed at 131072 (expected 98304 within 5s)',
      facts: [{ text: 'The balloon driver follows memory/target in xenstore', source: 'drivers/xen/balloon.c @ v2.6.30', verified: true }],
      expected: 'works',
      expectedFrom: 'baseline',
    };
  }
  return { outcome: 'works', facts: [], expected: 'works', expectedFrom: 'default' };
}

function makeCell(ax: Record<string, string>, scenario: string, o: Required<FixtureOptions>): { cell: CellResult; transcript: string[] } {
  const id = [...Object.entries(ax).map(([k, v]) => `${k}=${v}`), `scenario=${scenario}`].join('/');
  const v = decide(ax, scenario, o);
  const status: CellResult['status'] =
    v.outcome === 'skipped' ? 'skipped' : v.outcome === 'broken' ? 'broken' : v.outcome === v.expected ? 'passed' : 'failed';
  const flaky = status === 'passed' && v.outcome === 'works' && hash(`flaky:${id}`, o.seed) < o.flakyRate;
  const transcript = v.outcome === 'skipped' ? [] : consoleLines(ax, scenario, v);
  const failedAt = v.outcome === 'works' ? -1 : 0;
  const steps: CellResult['steps'] =
    v.outcome === 'skipped'
      ? []
      : [
          {
            action: 'boot',
            title: ax.role === 'domU' ? 'boot a PV domU' : ax.role === 'dom0' ? 'boot Xen with this kernel as dom0' : 'boot natively',
            status: failedAt === 0 && scenario === 'boot' ? (v.outcome === 'broken' ? 'broken' : 'failed') : 'passed',
            detail: failedAt === 0 && scenario === 'boot' ? v.reason : undefined,
            durationMs: 12,
          },
          ...(scenario === 'boot'
            ? []
            : [
                {
                  action: 'read',
                  title: `check ${scenario}`,
                  status: (v.outcome === 'works' ? 'passed' : v.outcome === 'broken' ? 'broken' : 'failed') as
                    | 'passed'
                    | 'failed'
                    | 'broken',
                  detail: v.outcome === 'works' ? 'ok' : v.reason,
                  durationMs: 3,
                },
              ]),
        ];
  const cell: CellResult = {
    id,
    axes: ax,
    scenario,
    feature: FEATURES[scenario] ?? scenario,
    outcome: v.outcome,
    expected: v.expected,
    expectedFrom: v.expectedFrom,
    status,
    ...(v.reason ? { reason: v.reason } : {}),
    facts: v.facts,
    steps,
    transcript: transcript.slice(-6),
    durationMs: v.outcome === 'skipped' ? 0 : 15 + Math.round(hash(`d:${id}`, 0) * 40),
    reproducer: `pvmatrix run --matrix matrix.yaml --grep '^${id.replaceAll('.', '\\.')}$'`,
    attempts: flaky ? 2 : 1,
    flaky,
  };
  return { cell, transcript };
}

const FEATURES: Record<string, string> = {
  boot: 'boot',
  'native-boot': 'boot',
  balloon: 'sysfs memory ballooning',
  'cpu-hotplug': 'CPU hotplug',
  'vbd-hotplug': 'device hotplug',
  xenfs: 'xenfs',
  earlyprintk: 'early console',
};

function consoleLines(ax: Record<string, string>, scenario: string, v: Verdict): string[] {
  const lines: string[] = [];
  if (ax.xen) {
    lines.push(
      ' __  __            _____ _  _    ___  ',
      `(XEN) Xen version ${ax.xen} (debian@example.org) (gcc 4.3.2) Tue Nov 24 02:00:00 UTC 2026`,
      `(XEN) Command line: dom0_mem=512M loglvl=all guest_loglvl=all com1=115200,8n1 console=com1`,
    );
    for (let i = 0; i < 12; i++) lines.push(`(XEN) [    0.${String(100 + i * 37).padStart(6, '0')}] init step ${i}`);
    lines.push('(XEN) *** LOADING DOMAIN 0 ***');
  }
  lines.push(
    `[    0.000000] Linux version ${ax.kernel} (gcc version 4.4.1) #1 SMP`,
    `[    0.000000] Booting paravirtualized kernel on ${ax.xen ? 'Xen' : 'bare hardware'}`,
  );
  for (let i = 0; i < 10; i++)
    lines.push(`[    0.${String(200 + i * 41).padStart(6, '0')}] pci 0000:00:${String(i).padStart(2, '0')}.0: probing`);
  if (v.outcome === 'works') lines.push('[    1.200000] Freeing unused kernel memory: 2400k freed', `${scenario}: ok`);
  else if (v.outcome === 'broken') lines.push('pvmatrix: timeout after 120s, killing the domain');
  else lines.push(`(XEN) ${v.reason}`, 'pvmatrix: the platform refused the step');
  return lines;
}
