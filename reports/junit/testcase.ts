import type { CellResult } from '../../contracts/result.ts';
import { xmlAttr, xmlBody } from './xml.ts';

/**
 * One <testcase> per cell. classname = scenario + Xen build (CI tools group by it; dots in
 * the Xen id become `_` so that 3.4 does not read as a package path); name = the other axes.
 * failed -> <failure>, broken -> <error> (the harness, not the platform), skipped -> <skipped>.
 */
export function testcaseXml(cell: CellResult): string {
  const xen = cell.axes.xen ? `xen-${cell.axes.xen.replace(/\./g, '_')}` : 'native';
  const classname = `${cell.scenario}.${xen}`;
  const name = Object.entries(cell.axes)
    .filter(([k]) => k !== 'xen')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const open = `  <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(name)}" time="${(cell.durationMs / 1000).toFixed(3)}"`;
  const body: string[] = [];
  const message = cell.reason ?? `outcome ${cell.outcome}, expected ${cell.expected}`;
  const details = [
    `cell:     ${cell.id}`,
    `outcome:  ${cell.outcome}`,
    `expected: ${cell.expected} (from ${cell.expectedFrom})`,
    ...(cell.reason ? [`reason:   ${cell.reason}`] : []),
    ...cell.facts.map((f) => `fact:     ${f.text} [${f.source}]`),
    `rerun:    ${cell.reproducer}`,
  ].join('\n');
  if (cell.status === 'failed')
    body.push(
      `    <failure message="${xmlAttr(message)}" type="${xmlAttr(`${cell.outcome}-expected-${cell.expected}`)}">${xmlBody(details)}</failure>`,
    );
  else if (cell.status === 'broken') body.push(`    <error message="${xmlAttr(message)}" type="broken">${xmlBody(details)}</error>`);
  else if (cell.status === 'skipped') body.push(`    <skipped message="${xmlAttr(message)}"/>`);
  if (cell.flaky) body.push(`    <properties><property name="flaky" value="passed on attempt ${cell.attempts}"/></properties>`);
  if (cell.transcript.length && cell.status !== 'passed') body.push(`    <system-out>${xmlBody(cell.transcript.join('\n'))}</system-out>`);
  return body.length ? `${open}>\n${body.join('\n')}\n  </testcase>\n` : `${open}/>\n`;
}
