import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMatrix, FIELDS, OUTCOMES, STATUSES } from '../reports/matrix-html/encode.ts';
import { pageScript, renderMatrixHtml } from '../reports/matrix-html/write.ts';
import { HOSTILE, makeResults, sizedOptions } from './support/results-fixture.ts';

test('matrix.html data decodes back to every cell, reasons, facts and reproducers included', () => {
  const { file } = makeResults();
  const d = encodeMatrix(file);
  const na = d.axes.length;
  const at = (name: string) => na + FIELDS.indexOf(name as (typeof FIELDS)[number]);
  assert.equal(d.c.length, file.cells.length);
  file.cells.forEach((cell, i) => {
    const row = d.c[i]!;
    const axes: Record<string, string> = {};
    d.axes.forEach((a, ai) => {
      if (row[ai]! >= 0) axes[a.name] = a.values[row[ai]!]!.id;
    });
    assert.deepEqual(axes, cell.axes);
    assert.equal(d.scenarios[row[at('scenario')]!], cell.scenario);
    assert.equal(OUTCOMES[row[at('outcome')]!], cell.outcome);
    assert.equal(STATUSES[row[at('status')]!], cell.status);
    assert.equal(row[at('reason')]! < 0 ? undefined : d.s[row[at('reason')]!], cell.reason);
    const facts = row[at('facts')]! < 0 ? [] : d.l[row[at('facts')]!]!.map((si) => d.s[si]!.split('\u0000').slice(0, 2));
    assert.deepEqual(
      facts,
      cell.facts.map((f) => [f.text, f.source]),
    );
    // the page rebuilds the reproducer from a template and the cell id
    const tpl = d.s[row[at('reproducer')]!]!;
    const rebuilt = tpl
      .split('\u0001R')
      .join(cell.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .split('\u0001I')
      .join(cell.id);
    assert.equal(rebuilt, cell.reproducer);
  });
});

test('repeated strings are stored once: the embedded data stays small at ~25k cells', () => {
  const { file } = makeResults(sizedOptions(25_000));
  assert.ok(file.cells.length > 20_000);
  const html = renderMatrixHtml(file);
  const perCell = Buffer.byteLength(html) / file.cells.length;
  assert.ok(perCell < 80, `${perCell.toFixed(1)} bytes per cell`);
  const reasons = new Set(file.cells.map((c) => c.reason).filter(Boolean));
  const d = encodeMatrix(file);
  for (const r of reasons) assert.equal(d.s.filter((s) => s === r).length, 1);
});

test('data that looks like markup cannot leave its <script> element', () => {
  const { file } = makeResults({ xen: ['3.4'], kernels: ['6.1'], scenarios: ['boot'] });
  file.cells[0] = { ...file.cells[0]!, reason: '</script><script>alert(1)</script> <!-- $& $1 $` ' };
  const html = renderMatrixHtml(file);
  const data = html.split('<script type="application/json" id="pvm-data">')[1]!.split('</script>')[0]!;
  assert.ok(!data.includes('<'), 'no < inside the JSON');
  const parsed = JSON.parse(data);
  assert.ok(parsed.s.includes('</script><script>alert(1)</script> <!-- $& $1 $` '), 'the string survives exactly, $ patterns included');
  assert.ok(parsed.axes.some((a: { values: { label: string }[] }) => a.values.some((v) => v.label === HOSTILE)));
  assert.doesNotMatch(html, /https?:\/\/(?!xenbits|git\.kernel|wiki\.xen)/, 'no external resource');
  assert.doesNotMatch(
    html.split('<script>')[1]!,
    /innerHTML|outerHTML|insertAdjacentHTML|document\.write/,
    'the page script never parses data as HTML',
  );
});

test('the page script is one bundle of the page modules and the diff rules, with nothing of Node in it', () => {
  const script = pageScript();
  // the diff rules come from reports/diff/classify.ts itself: its function, not a copy to keep in step
  assert.match(script, /function classifyChange\(/);
  assert.doesNotMatch(script, /\brequire\(|\bimport\s*\(|from\s*["']node:|process\.env/, 'no module loading and no Node API');
  assert.doesNotMatch(script, /\bzod\b|ZodType/, 'types only from the contract modules, not the schemas');
  assert.ok(script.length < 120_000, `${script.length} bytes`);
});
