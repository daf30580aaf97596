import { readFileSync } from 'node:fs';
import { ingestLine, type BootFailure, type BootRun } from '../../backends/qemu/qemu.ts';

/**
 * A recorded serial log (test/fixtures/qemu/*.serial, as PVMATRIX_QEMU_LOGS writes them:
 * `# argv`, `# exit CODE[, KIND: DETAIL]`, then `SECONDS LINE`) read back into a BootRun
 * through the same line intake as a live boot.
 */
export function loadSerialLog(path: string): BootRun {
  const run: BootRun = { argv: [], lines: [], markers: [], milestones: {}, exitCode: null, durationMs: 0 };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('# exit ')) {
      const m = /^# exit (\S+)(?:, (\w+): (.*))?$/.exec(line)!;
      run.exitCode = m[1] === 'null' ? null : Number(m[1]);
      if (m[2]) run.failure = { kind: m[2] as BootFailure['kind'], detail: m[3] ?? '' };
      continue;
    }
    if (line.startsWith('# ')) {
      run.argv = line.slice(2).split(' ');
      continue;
    }
    const m = /^\s*(\d+\.\d+) (.*)$/.exec(line);
    if (!m) continue;
    const ms = Math.round(Number(m[1]) * 1000);
    ingestLine(run, m[2]!, ms);
    run.durationMs = ms;
  }
  return run;
}

/** The log cut at `seconds`, as if QEMU had been killed then by the watchdog. */
export function cutAt(run: BootRun, seconds: number, failure: BootFailure): BootRun {
  const keep = run.lines.filter((l) => l.ms <= seconds * 1000);
  const cut: BootRun = { argv: run.argv, lines: [], markers: [], milestones: {}, exitCode: null, durationMs: seconds * 1000, failure };
  for (const l of keep) ingestLine(cut, l.text, l.ms);
  return cut;
}
