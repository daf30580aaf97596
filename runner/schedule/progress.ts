import cliProgress from 'cli-progress';
import type { CellResult } from '../../contracts/result.ts';

/** How `run` shows its progress: a live bar on a terminal, periodic lines in CI logs, or nothing. */
export type ProgressMode = 'bar' | 'lines' | 'none';

export interface Progress {
  /** The number of cells selected and how many a resumed journal already holds. */
  total(cells: number, alreadyDone: number): void;
  cell(r: CellResult): void;
  stop(): void;
}

interface Counts {
  done: number;
  total?: number;
  failed: number;
  broken: number;
  flaky: number;
  started: number;
  /** Cells done before this process started (a resumed journal): not part of the rate. */
  base: number;
}

/**
 * Counters are bumped per cell (cheap at 20,000 cells/s); the display is redrawn from a
 * timer, never per cell. Everything goes to stderr, so stdout stays for results (--json).
 */
export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr, intervalMs = 5000): Progress {
  const c: Counts = { done: 0, failed: 0, broken: 0, flaky: 0, started: performance.now(), base: 0 };
  if (mode === 'none') return { total: () => {}, cell: () => {}, stop: () => {} };
  const cell = (r: CellResult): void => {
    c.done++;
    if (r.status === 'failed') c.failed++;
    else if (r.status === 'broken') c.broken++;
    if (r.flaky) c.flaky++;
  };
  const rate = (): number => {
    const s = (performance.now() - c.started) / 1000;
    return s > 0 ? Math.max(0, c.done - c.base) / s : 0;
  };
  if (mode === 'lines') {
    const line = (): void => {
      const r = rate();
      const of = c.total ? `/${c.total.toLocaleString('en-US')} cells (${Math.floor((100 * c.done) / Math.max(1, c.total))}%)` : ' cells';
      const eta = c.total && r > 0 ? `, ETA ${formatEta((c.total - c.done) / r)}` : '';
      stream.write(
        `progress: ${c.done.toLocaleString('en-US')}${of}, ${Math.round(r).toLocaleString('en-US')} cells/s${eta}, ${c.failed} failed, ${c.broken} broken${c.flaky ? `, ${c.flaky} flaky` : ''}\n`,
      );
    };
    const timer = setInterval(line, intervalMs);
    timer.unref();
    return {
      total: (n, already) => {
        c.total = n;
        c.done = c.base = already;
      },
      cell,
      stop: () => clearInterval(timer),
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} cells | {rate} cells/s | ETA {eta_formatted} | {failed} failed, {broken} broken{flaky}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let shown = false;
  const payload = () => ({ rate: Math.round(rate()), failed: c.failed, broken: c.broken, flaky: c.flaky ? `, ${c.flaky} flaky` : '' });
  const timer = setInterval(() => {
    if (shown) bar.update(c.done, payload());
  }, 100);
  timer.unref();
  return {
    total: (n, already) => {
      c.total = n;
      c.done = c.base = already;
      bar.start(n, already, payload());
      shown = true;
    },
    cell,
    stop: () => {
      clearInterval(timer);
      if (shown) {
        bar.update(c.done, payload());
        bar.stop();
      }
    },
  };
}

function formatEta(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
