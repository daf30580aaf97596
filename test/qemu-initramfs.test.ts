import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { newcArchive, padTo4, parentsOf } from '../backends/qemu/newc.ts';

import { NEED, skipUnless } from './support/artifacts.ts';

test('newc archives are 4-byte padded, so a second archive can be appended', () => {
  for (const n of [0, 1, 2, 3, 5, 4097]) {
    const a = newcArchive([{ name: 'f', kind: 'file', data: Buffer.alloc(n, 0x61) }]);
    assert.equal(a.length % 4, 0, `file of ${n} bytes`);
  }
  assert.equal(padTo4(Buffer.alloc(5)).length, 8);
  assert.deepEqual(parentsOf('/usr/lib/x/y.so'), ['usr', 'usr/lib', 'usr/lib/x']);
});

test('GNU cpio reads what the writer wrote: names, types, modes, device numbers and contents', {
  skip: skipUnless(NEED.command('cpio')),
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pvm-newc-'));
  const file = join(dir, 'a.cpio');
  const payload = Buffer.from('#!/bin/busybox sh\necho hello\n');
  writeFileSync(
    file,
    newcArchive([
      { name: 'bin', kind: 'dir' },
      { name: 'init', kind: 'file', data: payload, mode: 0o755 },
      { name: 'bin/sh', kind: 'symlink', target: 'busybox' },
      { name: 'dev/console', kind: 'chardev', major: 5, minor: 1 },
    ]),
  );
  const listing = execFileSync('cpio', ['-t', '-v', '--quiet', '-F', file], { encoding: 'utf8' });
  assert.match(listing, /^drwxr-xr-x .* bin$/m);
  assert.match(listing, /^-rwxr-xr-x .* init$/m);
  assert.match(listing, /^lrwxrwxrwx .* bin\/sh -> busybox$/m);
  assert.match(listing, /^crw------- .* 5,\s+1 .* dev\/console$/m);
  const init = execFileSync('cpio', ['-i', '--quiet', '--to-stdout', '-F', file, 'init']);
  assert.deepEqual(init, payload);
});

test('a gzip part followed by a raw part: each part stays intact at its 4-byte-aligned offset', () => {
  const base = padTo4(gzipSync(newcArchive([{ name: 'init', kind: 'file', data: Buffer.from('base') }]), { level: 1 }));
  const extra = newcArchive([{ name: 'init', kind: 'file', data: Buffer.from('run') }]);
  const both = Buffer.concat([base, extra]);
  assert.equal(base.length % 4, 0);
  assert.equal(both.subarray(base.length, base.length + 6).toString(), '070701', 'the appended archive starts aligned');
  assert.match(gunzipSync(both.subarray(0, base.length)).toString('latin1'), /base/);
});
