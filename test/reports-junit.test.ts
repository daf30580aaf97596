import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { JUnitSink } from '../reports/junit/sink.ts';
import type { CellResult } from '../contracts/result.ts';
import { HOSTILE, makeResults } from './support/results-fixture.ts';

test('junit.xml: one well-formed testcase per cell, with failure, error and skipped elements', async () => {
  const { file } = makeResults();
  // strings from images and YAML can hold anything: markup, quotes, control characters, ]]>
  const nasty = `${HOSTILE} "quoted" & 'single' ]]> \u0001\u001b[31m bell\u0007 tab\t`;
  const cells: CellResult[] = file.cells.map((c, i) =>
    i === 0 ? { ...c, status: 'failed', reason: nasty, transcript: [nasty, 'ok'] } : c,
  );
  const dir = await mkdtemp(join(tmpdir(), 'pvm-junit-'));
  const path = join(dir, 'junit.xml');
  const sink = new JUnitSink(path);
  await sink.begin();
  for (const c of cells) await sink.add(c);
  await sink.end(file.run);
  const xml = await readFile(path, 'utf8');
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(xml);
  const suite = doc.testsuites.testsuite;
  const cases = suite.testcase as Record<string, unknown>[];
  assert.equal(cases.length, cells.length);
  const count = (s: CellResult['status']) => cells.filter((c) => c.status === s).length;
  assert.equal(Number(suite.tests), cells.length);
  assert.equal(Number(suite.failures), count('failed'));
  assert.equal(Number(suite.errors), count('broken'));
  assert.equal(Number(suite.skipped), count('skipped'));
  assert.equal(cases.filter((c) => 'failure' in c).length, count('failed'));
  assert.equal(cases.filter((c) => 'error' in c).length, count('broken'));
  assert.equal(cases.filter((c) => 'skipped' in c).length, count('skipped'));
  const first = cases[0] as { classname: string; name: string; failure: { message: string } };
  assert.equal(first.classname, `${cells[0]!.scenario}.xen-${cells[0]!.axes.xen!.replace(/\./g, '_')}`);
  assert.ok(!first.name.includes('xen='), 'the name holds the axes other than xen');
  assert.ok(first.failure.message.includes('<img src=x onerror=alert(1)>'), 'the reason survives escaping intact');
  const names = new Set(cases.map((c) => `${c.classname}#${c.name}`));
  assert.equal(names.size, cells.length, 'classname + name identify each cell');
  assert.deepEqual((await readdir(dir)).sort(), ['junit.xml'], 'the body and temp files are gone');
  await rm(dir, { recursive: true });
});
