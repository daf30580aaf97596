import { spawn, spawnSync } from 'node:child_process';
import { copyFile, cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { swapDir } from './sink.ts';
import { temporaryName } from '../../lib/atomic-write.ts';

/**
 * Which Allure makes the HTML: 3 (the default: Allure 3's Node core with its `allure2`
 * plugin, the classic Allure UI; no Java) or 2 (allure-commandline, Allure 2 on the JVM).
 * On the default matrix Allure 3 takes a quarter of the wall time and of the memory
 * (bench/allure.bench.ts; figures in the README).
 */
export type AllureEngine = 2 | 3;
/** Where Allure 3 keeps the history it carries from one report to the next (trends, per-cell history). */
export const ALLURE3_HISTORY = 'history.jsonl';

export const JAVA_HINT =
  'Allure needs Java 8 or later (a JRE). Install one, e.g. `apt-get install default-jre-headless` on Debian/Ubuntu, or set JAVA_HOME.';

/** `java -version` (through JAVA_HOME when set, as allure's own script does). */
export function javaVersion(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const java = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const r = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error || r.status !== 0) return undefined;
  return (r.stderr || r.stdout).split('\n')[0]?.trim() || 'java';
}

/** The Allure 2 launcher shipped inside allure-commandline (not node_modules/.bin/allure, which another package may own). */
export function allureBin(): string {
  const pkg = createRequire(import.meta.url).resolve('allure-commandline/package.json');
  return join(dirname(pkg), 'dist', 'bin', 'allure');
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** The command that runs one generation, for the engine (the bench times the same command). */
export function allureCommand(engine: AllureEngine, args: string[]): [string, string[]] {
  if (engine === 2) return [allureBin(), args];
  // tsx by its own URL: `--import tsx` would resolve it from the working directory, a user's project
  return [process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('allure3-child.ts', import.meta.url)), ...args]];
}

function runAllure(engine: AllureEngine, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = allureCommand(engine, args);
    // ALLURE_NO_ANALYTICS: Allure 2's page would otherwise load Google's gtag.js when opened
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ALLURE_NO_ANALYTICS: 'true' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`Allure ${engine} exited with ${code}:\n${output.trim().split('\n').slice(-15).join('\n')}`));
    });
    log(`Allure ${engine}: ${[cmd, ...argv].join(' ')}`);
  });
}

/** One generation's arguments: Allure 2's CLI, or allure3-child.ts's. */
export function generateArgs(engine: AllureEngine, results: string, output: string, history: string, single: boolean): string[] {
  if (engine === 2) return ['generate', results, '-o', output, '--clean', ...(single ? ['--single-file'] : [])];
  return [results, output, history, single ? '1' : '0'];
}

export interface GenerateOptions {
  resultsDir: string;
  /** The multi-file report; its history/ is carried into the next generation (trends). */
  reportDir: string;
  /** Also write this one-file report (opens from file://). */
  singleFile?: string;
  log?: (line: string) => void;
  /** Default 3. */
  engine?: AllureEngine;
}

/**
 * Generates the Allure HTML, keeping trends: Allure 2 reads the previous report's history/
 * (copied into the results first) and writes the next into the report; Allure 3 reads and
 * appends the report's history.jsonl (copied into the new report first). Output goes to
 * temp names and is swapped in whole.
 */
export async function generateAllure(o: GenerateOptions): Promise<void> {
  const log = o.log ?? (() => {});
  const engine = o.engine ?? 3;
  const tmp = temporaryName(o.reportDir);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const history = join(tmp, ALLURE3_HISTORY);
  if (engine === 2) {
    const previous = join(o.reportDir, 'history');
    if (await exists(previous)) {
      await rm(join(o.resultsDir, 'history'), { recursive: true, force: true });
      await cp(previous, join(o.resultsDir, 'history'), { recursive: true });
    }
  } else if (await exists(join(o.reportDir, ALLURE3_HISTORY))) await copyFile(join(o.reportDir, ALLURE3_HISTORY), history);
  const generate = (output: string, single: boolean) =>
    runAllure(engine, generateArgs(engine, o.resultsDir, output, single ? `${output}.history` : history, single), log);
  try {
    await generate(tmp, false);
    await swapDir(tmp, o.reportDir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  if (o.singleFile) {
    const tmp1 = temporaryName(o.singleFile);
    try {
      // the single file shows the history the multi-file report carries, and adds nothing to it
      if (engine === 3 && (await exists(join(o.reportDir, ALLURE3_HISTORY)))) {
        await mkdir(dirname(tmp1), { recursive: true });
        await copyFile(join(o.reportDir, ALLURE3_HISTORY), `${tmp1}.history`);
      }
      await generate(tmp1, true);
      await rename(join(tmp1, 'index.html'), o.singleFile);
    } finally {
      await rm(tmp1, { recursive: true, force: true });
      await rm(`${tmp1}.history`, { force: true });
    }
  }
}
