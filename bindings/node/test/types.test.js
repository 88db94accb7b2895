// The declarations: generated from the command's JSON Schema and current; a
// NemoClaw-style consumer type-checks under --strict, and mistakes do not. The README's
// table of differences is what the corpus gives.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const HERE = join(__dirname, '..');

function node(script, ...args) {
  return spawnSync(process.execPath, [join(HERE, 'scripts', script), ...args], { encoding: 'utf8' });
}

function tsc(file) {
  const args = ['--noEmit', '--strict', '--target', 'es2020', '--module', 'commonjs', '--moduleResolution', 'node', join(__dirname, 'types', 'node-shim.d.ts'), join(__dirname, 'types', file)];
  const done = spawnSync('tsc', args, { encoding: 'utf8' });
  if (done.error) throw new Error(`tsc cannot run (${done.error.message}): install Debian's node-typescript`);
  return done;
}

test('schema.d.ts is what the JSON Schema gives', () => {
  const done = node('types.js', '--check');
  assert.equal(done.status, 0, done.stderr);
});

test("the README's differences are what the corpus gives, each with its reason", () => {
  const done = node('differences.js', '--check');
  assert.equal(done.status, 0, done.stderr);
});

test('a consumer written as NemoClaw would type-checks under --strict', () => {
  const done = tsc('consumer.ts');
  assert.equal(done.status, 0, done.stdout + done.stderr);
});

test('the declarations refuse wrong options and misuse', () => {
  const done = tsc('wrong.ts');
  assert.notEqual(done.status, 0);
  const errors = done.stdout.split('\n').filter((line) => /wrong\.ts\(\d+,\d+\): error/.test(line));
  assert.deepEqual(
    errors.map((line) => Number(/wrong\.ts\((\d+),/.exec(line)[1])),
    [4, 5, 6, 7],
    done.stdout,
  );
});
