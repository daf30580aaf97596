import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeResults } from './support/results-fixture.ts';

const bin = fileURLToPath(new URL('../bin/pvmatrix.js', import.meta.url));
const pvmatrix = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 120_000 });

test('pvmatrix report: exit 2 naming the file when results.json is missing or wrong', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pvm-report-'));
  let r = pvmatrix(['report', '--out', dir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /results\.json: no such file/);
  await writeFile(join(dir, 'results.json'), '[1, 2');
  r = pvmatrix(['report', '--out', dir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /results\.json: not JSON/);
  r = pvmatrix(['report', '--out', dir, '--colour']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option --colour/);
  r = pvmatrix(['report', '--out', dir, '--allure', '4']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--allure 4: expected 3 .* or 2/);
  r = pvmatrix(['serve', '--out', dir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /allure-report: no such folder; run `pvmatrix report --out /);
  await rm(dir, { recursive: true });
});

test('pvmatrix report --allure 2 without Java: matrix.html and the rest are written, the hint is printed, exit 3', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pvm-report-'));
  await writeFile(join(dir, 'results.json'), JSON.stringify(makeResults({ scenarios: ['boot'] }).file));
  const r = pvmatrix(['report', '--out', dir, '--allure', '2'], { ...process.env, JAVA_HOME: join(dir, 'no-java') });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /apt-get install default-jre-headless/);
  for (const f of ['matrix.html', 'summary.md', 'junit.xml', 'allure-results']) await stat(join(dir, f));
  await assert.rejects(stat(join(dir, 'allure-report')));
  await rm(dir, { recursive: true });
});

test('report --serve: a static server on 127.0.0.1 that serves the folder and nothing outside it', async () => {
  const { serveDir } = await import('../reports/serve.ts');
  const dir = await mkdtemp(join(tmpdir(), 'pvm-serve-'));
  await writeFile(join(dir, 'matrix.html'), '<!doctype html><p>hi</p>');
  const { server, url } = await serveDir(dir);
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const ok = await fetch(`${url}matrix.html`);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(await ok.text(), '<!doctype html><p>hi</p>');
    assert.equal((await fetch(`${url}nope.html`)).status, 404);
    assert.notEqual((await fetch(`${url}..%2f..%2fetc%2fpasswd`)).status, 200);
    assert.notEqual((await fetch(`${url}%2e%2e/%2e%2e/etc/passwd`)).status, 200);
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await rm(dir, { recursive: true });
  }
});
