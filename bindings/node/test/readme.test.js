// The package README's examples: the names it imports are the package's, and its code
// runs as shown.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawn } = require('node:child_process');

const triage = require('..');

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

function blocks(language) {
  return [...README.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
}

test('the swap imports names the package exports, in place of the same names', () => {
  const [diff] = blocks('diff');
  const removed = [...diff.matchAll(/^-import \{ (\w+) \} from/gm)].map((m) => m[1]);
  const added = [...diff.matchAll(/^\+import \{ (\w+) \} from "sandbox-triage";$/gm)].map((m) => m[1]);
  assert.equal(added.length, 2);
  assert.deepEqual(added, removed);
  for (const name of added) assert.equal(typeof triage[name], 'function', name);
  // Every function the README names in backticks is exported.
  for (const [, name] of README.matchAll(/`(?:new )?(\w+)\(/g)) {
    if (name !== 'String') assert.equal(typeof triage[name], 'function', name);
  }
});

test('the examples run as shown', async () => {
  const [first, stream] = blocks('js');
  const output = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'upload-404-podman.log'), 'utf8');
  const createCommand = ['openshell', 'sandbox', 'create', '--from', './Dockerfile', '--name', 'demo'];
  const run = new Function('require', 'output', 'createCommand', `${first}; return { diagnosis, recovery };`);
  const { diagnosis, recovery } = run((name) => (name === 'sandbox-triage' ? triage : require(name)), output, createCommand);
  assert.equal(diagnosis.kind, 'image_upload_container_missing');
  assert.ok(recovery.plan.steps.length > 0);
  const printed = [];
  const child = spawn('sh', ['-c', 'printf "  Step 2/5 : RUN make\\n" >&2; exit 2']);
  const example = new Function('Classifier', 'child', 'console', stream);
  await new Promise((resolve) => {
    example(triage.Classifier, child, { log: (answer) => resolve(printed.push(answer)) });
  });
  assert.equal(printed[0].kind, 'build_step_failed');
});
