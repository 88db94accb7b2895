// The compatible surface against NemoClaw's pinned behaviour: every case answers as
// NemoClaw does, or as the package README says it deliberately does not.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const triage = require('..');
const cases = require('./nemoclaw-cases.js');

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

test('§a: classifySandboxCreateFailure answers every pinned case', () => {
  for (const [input, [kind, uploadedToGateway]] of cases.sandboxCreate) {
    assert.deepEqual(triage.classifySandboxCreateFailure(input), { kind, uploadedToGateway }, JSON.stringify(input));
  }
});

test('§c: extractBuiltImageRef answers every pinned case, and each difference is in the README', () => {
  for (const [input, nemoclaw, differs] of cases.builtImageRef) {
    assert.equal(triage.extractBuiltImageRef(input), differs ? differs.ours : nemoclaw, JSON.stringify(input));
    if (differs) assert.ok(README.includes(`\`${differs.id}\``), `README lists ${differs.id}`);
  }
});

test('§f: classifyGatewayStartFailure answers every pinned case', () => {
  for (const [input, kind] of cases.gatewayStart) {
    assert.deepEqual(triage.classifyGatewayStartFailure(input), { kind }, JSON.stringify(input));
  }
});

test('§f: classifyValidationFailure answers every pinned case', () => {
  for (const [input, [kind, retry]] of cases.validation) {
    assert.deepEqual(triage.classifyValidationFailure(input), { kind, retry }, JSON.stringify(input));
  }
  assert.deepEqual(triage.classifyApplyFailure('Unauthorized access'), { kind: 'credential', retry: 'credential' });
});

test("NemoClaw's coercion: falsy is empty, anything else its string, a null message is 'null'", () => {
  for (const nothing of [null, undefined, '', 0, false, NaN]) {
    assert.deepEqual(triage.classifySandboxCreateFailure(nothing), { kind: 'unknown', uploadedToGateway: false });
    assert.equal(triage.extractBuiltImageRef(nothing), null);
    assert.deepEqual(triage.classifyGatewayStartFailure(nothing), { kind: 'unknown' });
  }
  // String(object) is what NemoClaw reads: its toString counts.
  const speaks = { toString: () => 'Error: failed to upload image tar into container' };
  assert.equal(triage.classifySandboxCreateFailure(speaks).kind, 'image_upload_container_missing');
  // "null" and "undefined" messages are words, not credentials or models.
  assert.deepEqual(triage.classifyValidationFailure({ message: null }), { kind: 'unknown', retry: 'selection' });
  assert.deepEqual(triage.classifyValidationFailure({ httpStatus: null, curlStatus: null }), { kind: 'unknown', retry: 'selection' });
  // A status that is not a number is no status (NemoClaw compares with ===).
  assert.deepEqual(triage.classifyValidationFailure({ httpStatus: '401' }), { kind: 'unknown', retry: 'selection' });
  // Any truthy curl status is curl's failure.
  assert.deepEqual(triage.classifyValidationFailure({ curlStatus: '7' }), { kind: 'transport', retry: 'retry' });
});

test('§d: the reconstructed command keeps the flags, quoted, with the values it must not show asked for', () => {
  assert.equal(
    triage.reconstructImageRefCreateCommand(
      ['--from', '/tmp/x/Dockerfile', '--name', 'asst', '--policy', '/tmp/p.yaml', '--gpus', 'all'],
      'localhost:5000/openshell/sandbox:tag',
    ),
    'openshell sandbox create --from localhost:5000/openshell/sandbox:tag --name asst --policy "${SANDBOX_TRIAGE_POLICY_FILE?}" --gpus all -- env "${SANDBOX_TRIAGE_RUNTIME_ENV?}" nemoclaw-start',
  );
  // A trailing --from gets the image (NemoClaw copies it bare, leaving `--from --`).
  assert.equal(
    triage.reconstructImageRefCreateCommand(['--name', 'asst', '--from'], 'registry/ref:1'),
    'openshell sandbox create --name asst --from registry/ref:1 -- env "${SANDBOX_TRIAGE_RUNTIME_ENV?}" nemoclaw-start',
  );
  // Labels with spaces stay one word; the driver's JSON (host paths, GPU UUIDs) is asked
  // for, never echoed; a credential never shows.
  const command = triage.reconstructImageRefCreateCommand(
    ['--driver-config-json', '{"docker": {"mounts": []}}', '--label', 'a=b c', '--provider', 'x', '--from', '/tmp/my dir/Dockerfile'],
    'localhost:5000/img:1',
  );
  assert.equal(
    command,
    `openshell sandbox create --driver-config-json "\${SANDBOX_TRIAGE_DRIVER_CONFIG_JSON?}" --label 'a=b c' --provider x --from localhost:5000/img:1 -- env "\${SANDBOX_TRIAGE_RUNTIME_ENV?}" nemoclaw-start`,
  );
  const secret = 'nvapi-' + 'Q'.repeat(40);
  const withSecret = triage.reconstructImageRefCreateCommand(['--name', 'a', '--', 'env', `NVIDIA_API_KEY=${secret}`, 'nemoclaw-start'], 'r:1');
  assert.ok(!withSecret.includes(secret), withSecret);
  assert.match(withSecret, /NVIDIA_API_KEY="\$\{SANDBOX_TRIAGE_NVIDIA_API_KEY\?\}" nemoclaw-start$/);
  // null and undefined are empty words, as NemoClaw's join prints them.
  assert.equal(
    triage.reconstructImageRefCreateCommand(['--label', null, '--provider', undefined], 'r:1'),
    `openshell sandbox create --label '' --provider '' --from r:1 -- env "\${SANDBOX_TRIAGE_RUNTIME_ENV?}" nemoclaw-start`,
  );
  // Not an array: no flags.
  assert.equal(triage.reconstructImageRefCreateCommand(null, 'r:1'), 'openshell sandbox create --from r:1 -- env "${SANDBOX_TRIAGE_RUNTIME_ENV?}" nemoclaw-start');
  assert.throws(() => triage.reconstructImageRefCreateCommand(['--name', '../x'], 'r:1'), /not a valid name/);
});
