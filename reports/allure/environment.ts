import { hostname } from 'node:os';
import type { ExecutorInfo } from 'allure-js-commons/sdk';
import type { AxisInfo, RunInfo } from '../../contracts/results.ts';

/** environment.properties: the run and the axes it covered (Allure's Environment widget). */
export function environmentProperties(run: RunInfo, axes: AxisInfo): string {
  const entries: [string, string][] = [
    ['pvmatrix.version', run.version],
    ['backend', run.backend],
    ['matrix', run.matrix],
    ['started', run.started],
    ...(run.finished ? ([['finished', run.finished]] as [string, string][]) : []),
    ...(run.shard ? ([['shard', run.shard]] as [string, string][]) : []),
    ['node', process.version],
    ...axes.map((a) => [`axis.${a.name}`, a.values.map((v) => v.id).join(', ')] as [string, string]),
  ];
  return `${entries.map(([k, v]) => `${escapeKey(k)} = ${escapeValue(v)}`).join('\n')}\n`;
}

// java.util.Properties escaping (Allure reads the file with it): keys escape separators, both escape
// backslashes and newlines, and non-Latin-1 characters become \uXXXX.
const escapeKey = (s: string) => escapeValue(s).replace(/([ :=])/g, '\\$1');
function escapeValue(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** executor.json: which CI build made these results (GitHub Actions, GitLab CI, or a local run). */
export function executorInfo(env: NodeJS.ProcessEnv, run: RunInfo): ExecutorInfo {
  const reportUrl = env.PVMATRIX_REPORT_URL;
  if (env.GITHUB_ACTIONS === 'true') {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const repo = env.GITHUB_REPOSITORY ?? '';
    const runNumber = Number(env.GITHUB_RUN_NUMBER);
    return {
      name: 'GitHub Actions',
      type: 'github',
      url: `${server}/${repo}`,
      ...(Number.isFinite(runNumber) ? { buildOrder: runNumber } : {}),
      buildName: `${env.GITHUB_WORKFLOW ?? 'workflow'} #${env.GITHUB_RUN_NUMBER ?? '?'}`,
      buildUrl: `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
      ...(reportUrl ? { reportUrl } : {}),
      reportName: 'pvmatrix',
    };
  }
  if (env.GITLAB_CI === 'true') {
    const order = Number(env.CI_PIPELINE_IID ?? env.CI_PIPELINE_ID);
    return {
      name: 'GitLab CI',
      type: 'gitlab',
      ...(env.CI_PROJECT_URL ? { url: env.CI_PROJECT_URL } : {}),
      ...(Number.isFinite(order) ? { buildOrder: order } : {}),
      buildName: `${env.CI_JOB_NAME ?? 'job'} #${env.CI_PIPELINE_IID ?? env.CI_PIPELINE_ID ?? '?'}`,
      ...(env.CI_JOB_URL || env.CI_PIPELINE_URL ? { buildUrl: env.CI_JOB_URL ?? env.CI_PIPELINE_URL } : {}),
      ...(reportUrl ? { reportUrl } : {}),
      reportName: 'pvmatrix',
    };
  }
  const started = Date.parse(run.started);
  return {
    name: 'pvmatrix',
    type: 'local',
    ...(Number.isFinite(started) ? { buildOrder: Math.floor(started / 1000) } : {}),
    buildName: `${hostname()} ${run.started}`,
    reportName: 'pvmatrix',
  };
}
