import { createHash, randomUUID } from 'node:crypto';
import type { Attachment, Label, Link, Parameter, Status, StepResult, TestResult } from 'allure-js-commons';
import type { CellResult } from '../../contracts/result.ts';
import { categoryOf } from '../classify.ts';
import { imageOf, type AxisLabels } from '../labels.ts';
import { sourceSegments } from '../links.ts';
import { messagePrefix } from './categories.ts';

/** How much of the console goes into the small attachment; the full log is attached beside it. */
export const EXCERPT_LINES = 40;
export const EXCERPT_BYTES = 4096;

export interface AllureFile {
  name: string;
  content: string;
}

/** An Allure result for one cell, plus the attachment files it refers to (possibly shared with other cells). */
export interface AllureCell {
  result: TestResult;
  files: AllureFile[];
}

export const md5 = (s: string) => createHash('md5').update(s).digest('hex');

const status = (s: string) => s as Status;

/**
 * How much each Allure result carries. `full`: every step and the console of every cell.
 * `light` (the default): steps up to the one that decided (the rest counted in one line),
 * the console only where it tells something (not for a cell that worked as expected), and
 * skipped cells grouped (writer.ts). bench/allure.bench.ts measures both.
 */
export type AllureDetail = 'light' | 'full';

/**
 * One cell as Allure's result format (allure-results/<uuid>-result.json). historyId and
 * testCaseId are the md5 of the cell id, so that each cell is its own test with its own
 * history; every axis is also a parameter, which Allure shows and groups by.
 */
export function allureCell(
  cell: CellResult,
  transcript: readonly string[],
  label: AxisLabels,
  times: { start: number; stop: number },
  detail: AllureDetail = 'full',
): AllureCell {
  const light = detail === 'light';
  const uuid = randomUUID();
  const xen = cell.axes.xen;
  const where = xen ? `on ${label('xen', xen)}` : 'native (no Xen)';
  const what = [
    cell.axes.kernel ? label('kernel', cell.axes.kernel) : undefined,
    imageOf(cell) || undefined,
    cell.axes.arch,
    cell.axes.role,
  ]
    .filter(Boolean)
    .join(' · ');
  const labels: Label[] = [
    { name: 'epic', value: cell.feature },
    { name: 'feature', value: cell.scenario },
    { name: 'parentSuite', value: xen ? label('xen', xen) : 'native (no Xen)' },
    { name: 'suite', value: cell.axes.kernel ? label('kernel', cell.axes.kernel) : '(no kernel)' },
    { name: 'subSuite', value: imageOf(cell) || '(no format)' },
    { name: 'framework', value: 'pvmatrix' },
    { name: 'language', value: 'typescript' },
  ];
  if (cell.axes.role) labels.push({ name: 'tag', value: cell.axes.role });
  if (cell.axes.arch) labels.push({ name: 'tag', value: cell.axes.arch });
  labels.push({ name: 'tag', value: `outcome:${cell.outcome}` });
  if (cell.flaky) labels.push({ name: 'tag', value: 'flaky' });

  const parameters: Parameter[] = Object.entries(cell.axes).map(([axis, value]) => {
    const shown = label(axis, value);
    return { name: axis, value: shown === value ? value : `${shown} [${value}]` };
  });
  parameters.push({ name: 'scenario', value: cell.scenario });

  const links: Link[] = [];
  for (const f of cell.facts) {
    for (const seg of sourceSegments(f.source)) {
      if (seg.url && !links.some((l) => l.url === seg.url)) links.push({ name: seg.text.trim(), url: seg.url, type: 'link' });
    }
  }

  const files: AllureFile[] = [];
  const attachments: Attachment[] = [];
  const tellsSomething = !light || cell.outcome !== 'works' || cell.status !== 'passed' || cell.flaky;
  if (transcript.length && tellsSomething) {
    // Attachments are named by their content: cells with the same console (a quarter as many
    // distinct ones as cells in the default matrix) share one file, which Allure allows.
    const excerpt = excerptOf(transcript);
    const small = `${md5(excerpt.text)}-console-attachment.txt`;
    files.push({ name: small, content: excerpt.text });
    attachments.push({ name: excerpt.truncated ? `console (last ${excerpt.lines} lines)` : 'console', source: small, type: 'text/plain' });
    if (excerpt.truncated) {
      const text = transcript.join('\n');
      const full = `${md5(text)}-console-full-attachment.txt`;
      files.push({ name: full, content: text });
      attachments.push({ name: `console (full, ${transcript.length} lines)`, source: full, type: 'text/plain' });
    }
  }

  const category = categoryOf(cell);
  const message =
    cell.reason || cell.status !== 'passed'
      ? oneLine(`${messagePrefix(category)}${cell.reason ?? `outcome ${cell.outcome}, expected ${cell.expected}`}`)
      : undefined;

  const stepTime = { t: times.start };
  // light: the steps after the first one that did not pass never ran; they are counted, not listed
  const decided = cell.steps.findIndex((s) => s.status !== 'passed');
  const shown =
    light && decided >= 0 && cell.steps.slice(decided + 1).every((s) => s.status === 'skipped')
      ? cell.steps.slice(0, decided + 1)
      : cell.steps;
  const steps: StepResult[] = shown.map((s) => {
    const start = stepTime.t;
    stepTime.t += Math.round(s.durationMs);
    return {
      name: `${s.action}: ${s.title}`,
      status: status(s.status),
      statusDetails: s.detail ? { message: s.detail } : {},
      stage: 'finished' as TestResult['stage'],
      steps: [],
      attachments: [],
      parameters: [],
      start,
      stop: stepTime.t,
    };
  });
  if (shown.length < cell.steps.length) steps.push(notRun(cell.steps.length - shown.length, stepTime.t));

  const result: TestResult = {
    uuid,
    historyId: md5(cell.id),
    testCaseId: md5(cell.id),
    name: `${cell.scenario}: ${what} ${where}`,
    fullName: cell.id,
    titlePath: [xen ? label('xen', xen) : 'native', cell.scenario],
    status: status(cell.status),
    statusDetails: {
      ...(message ? { message } : {}),
      expected: `${cell.expected} (from ${cell.expectedFrom})`,
      actual: cell.outcome,
      ...(cell.status !== 'passed' && cell.status !== 'skipped' ? { trace: traceOf(cell) } : {}),
    },
    stage: 'finished' as TestResult['stage'],
    description: descriptionOf(cell),
    steps,
    attachments,
    parameters,
    labels,
    links,
    start: times.start,
    stop: times.stop,
  };
  return { result, files };
}

function notRun(n: number, at: number): StepResult {
  return {
    name: `${n} later step${n === 1 ? '' : 's'} not run`,
    status: 'skipped' as Status,
    statusDetails: {},
    stage: 'finished' as TestResult['stage'],
    steps: [],
    attachments: [],
    parameters: [],
    start: at,
    stop: at,
  };
}

/** The file of a skipped group: named by its historyId, so that merge can tell it from a cell's. */
export const SKIPPED_GROUP_FILE = (historyId: string) => `skipped-${historyId}-result.json`;
export const isSkippedGroupFile = (name: string) => /^skipped-[0-9a-f]{32}-result\.json$/.test(name);

/** The skipped cells of one scenario with one reason, as one Allure test that lists them. */
export function allureSkippedGroup(cells: CellResult[], at: number): TestResult {
  const first = cells[0]!;
  const id = md5(`skipped\u0000${first.scenario}\u0000${first.reason ?? ''}`);
  const md = (s: string) => s.replace(/([\\`*_[\]<>&|!#])/g, '\\$1');
  const facts = first.facts.map((f) => `- ${md(f.text)} (source: ${md(f.source)}${f.verified ? '' : ', unverified'})`);
  return {
    uuid: randomUUID(),
    historyId: id,
    testCaseId: id,
    name: `${first.scenario}: ${cells.length} cell${cells.length === 1 ? '' : 's'} not applicable${first.reason ? `: ${oneLine(first.reason)}` : ''}`,
    fullName: `${first.scenario} skipped: ${first.reason ?? ''}`,
    titlePath: ['not applicable', first.scenario],
    status: 'skipped' as Status,
    statusDetails: first.reason ? { message: oneLine(first.reason) } : {},
    stage: 'finished' as TestResult['stage'],
    description: [
      ...(facts.length ? ['**Facts:**', ...facts, ''] : []),
      `**Cells (${cells.length}):**`,
      '',
      ...cells.map((c) => `    ${c.id}`),
    ].join('\n'),
    steps: [],
    attachments: [],
    parameters: [{ name: 'cells', value: String(cells.length) }],
    labels: [
      { name: 'epic', value: first.feature },
      { name: 'feature', value: first.scenario },
      { name: 'parentSuite', value: 'not applicable (skipped)' },
      { name: 'suite', value: first.scenario },
      { name: 'tag', value: 'outcome:skipped' },
    ],
    links: [],
    start: at,
    stop: at,
  };
}

function excerptOf(lines: readonly string[]): { text: string; lines: number; truncated: boolean } {
  let kept = lines.slice(-EXCERPT_LINES);
  let text = kept.join('\n');
  while (Buffer.byteLength(text) > EXCERPT_BYTES && kept.length > 1) {
    kept = kept.slice(1);
    text = kept.join('\n');
  }
  if (Buffer.byteLength(text) > EXCERPT_BYTES) text = text.slice(-EXCERPT_BYTES);
  return { text, lines: kept.length, truncated: kept.length < lines.length || text.length < lines.join('\n').length };
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

function traceOf(cell: CellResult): string {
  return [
    `outcome:  ${cell.outcome}`,
    `expected: ${cell.expected} (from ${cell.expectedFrom})`,
    ...(cell.reason ? [`reason:   ${cell.reason}`] : []),
    ...cell.facts.map((f) => `fact:     ${f.text} [${f.source}]${f.verified ? '' : ' (unverified)'}`),
    `rerun:    ${cell.reproducer}`,
  ].join('\n');
}

/** Markdown (Allure renders description as Markdown): the facts with their sources, plain text ones included. */
function descriptionOf(cell: CellResult): string {
  // CommonMark: backslash-escape what could start markup, raw HTML (<, >) and entities (&) included.
  const md = (s: string) => s.replace(/([\\`*_[\]<>&|!#])/g, '\\$1');
  const parts = [
    `**Outcome:** ${cell.outcome} · **expected:** ${cell.expected} (from ${md(cell.expectedFrom)}) · **verdict:** ${cell.status}${cell.flaky ? ` (flaky: passed on attempt ${cell.attempts})` : ''}`,
  ];
  if (cell.reason) parts.push(`**Reason:** ${md(cell.reason)}`);
  if (cell.facts.length)
    parts.push(
      ['**Facts:**', ...cell.facts.map((f) => `- ${md(f.text)} (source: ${md(f.source)}${f.verified ? '' : ', unverified'})`)].join('\n'),
    );
  parts.push(`**Run it alone:**\n\n    ${cell.reproducer}`);
  return parts.join('\n\n');
}
