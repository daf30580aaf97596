import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { swapDir } from './sink.ts';
import { temporaryName } from '../../lib/atomic-write.ts';

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

function runAllure(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(allureBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`allure ${args[0]} exited with ${code}:\n${output.trim().split('\n').slice(-15).join('\n')}`));
    });
    log(`allure ${args.join(' ')}`);
  });
}

export interface GenerateOptions {
  resultsDir: string;
  /** The multi-file report; its history/ is carried into the next generation (trends). */
  reportDir: string;
  /** Also write this one-file report (opens from file://). */
  singleFile?: string;
  log?: (line: string) => void;
}

/**
 * allure generate, keeping trends: the previous report's history/ is copied into the
 * results first (Allure reads results/history/ and writes the next history into the
 * report). Output goes to temp names and is swapped in whole.
 */
export async function generateAllure(o: GenerateOptions): Promise<void> {
  const log = o.log ?? (() => {});
  const previous = join(o.reportDir, 'history');
  if (await exists(previous)) {
    await rm(join(o.resultsDir, 'history'), { recursive: true, force: true });
    await cp(previous, join(o.resultsDir, 'history'), { recursive: true });
  }
  const tmp = temporaryName(o.reportDir);
  await mkdir(dirname(tmp), { recursive: true });
  try {
    await runAllure(['generate', o.resultsDir, '-o', tmp, '--clean'], log);
    await swapDir(tmp, o.reportDir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  if (o.singleFile) {
    const tmp1 = temporaryName(o.singleFile);
    try {
      await runAllure(['generate', o.resultsDir, '-o', tmp1, '--clean', '--single-file'], log);
      await rename(join(tmp1, 'index.html'), o.singleFile);
    } finally {
      await rm(tmp1, { recursive: true, force: true });
    }
  }
}
