// Bad input is answered, never thrown as a crash: any value as an output, invalid
// UTF-8, huge lines; a mistake in the options is an error that names the option.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');

const triage = require('..');

test('any value is an output', () => {
  const throwing = {
    toString() {
      throw new Error('no text');
    },
  };
  for (const value of [42, {}, [], [1, 2], Symbol('s'), () => 1, throwing, new Date(0), 10n, true]) {
    const answer = triage.classifySandboxCreateFailure(value);
    assert.deepEqual(Object.keys(answer), ['kind', 'uploadedToGateway']);
    assert.equal(typeof triage.diagnose(value).kind, 'string');
    assert.equal(typeof triage.redact(value), 'string');
    const ref = triage.extractBuiltImageRef(value);
    assert.ok(ref === null || typeof ref === 'string');
  }
  // Nothing can be read from a detached buffer or a revoked Proxy: the empty output.
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const value of [detached, new Uint8Array(new ArrayBuffer(4)).subarray(1), proxy]) {
    assert.deepEqual(triage.classifySandboxCreateFailure(value), { kind: 'unknown', uploadedToGateway: false });
    assert.equal(triage.diagnose(value).kind, 'unknown');
  }
  const classifier = new triage.Classifier();
  assert.equal(classifier.push(proxy), true);
  assert.equal(classifier.push(throwing), true);
  // A message whose conversion throws is no message.
  assert.deepEqual(triage.classifyValidationFailure({ message: throwing }), { kind: 'unknown', retry: 'selection' });
  assert.deepEqual(triage.classifyValidationFailure(null), { kind: 'unknown', retry: 'selection' });
});

test('invalid UTF-8 is read, and shown as replacement characters', () => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' Error: failed to upload image tar into container\n')]);
  for (const output of [bytes, new Uint8Array(bytes), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)]) {
    const answer = triage.diagnose(output, { stage: 'sandbox-create', exitStatus: 1 });
    assert.equal(answer.kind, 'image_upload_container_missing');
    assert.match(answer.evidence[0].text, /^\uFFFD+ Error: failed to upload/);
  }
  const classifier = new triage.Classifier();
  classifier.push(bytes.subarray(0, 2));
  classifier.push(bytes.subarray(2));
  return classifier.finish(1).then((answer) => assert.equal(answer.kind, 'image_upload_container_missing'));
});

test('a 64 MiB line is read, and what follows it still counts', () => {
  const huge = Buffer.alloc(64 << 20, 'a');
  const output = Buffer.concat([huge, Buffer.from('\nError: failed to upload image tar into container\n')]);
  const answer = triage.diagnose(output, { exitStatus: 1 });
  assert.equal(answer.kind, 'image_upload_container_missing');
  assert.equal(answer.evidence.at(-1).line, 2);
  // Evidence is clipped, never the whole line: nothing shown is megabytes long.
  const long = triage.diagnose(Buffer.concat([Buffer.from('Error: failed to upload image tar into container '), huge]), { exitStatus: 1 });
  assert.ok(JSON.stringify(long).length < 1 << 16);
});

test('a mistake in the options names the option', () => {
  assert.throws(() => triage.diagnose('x', { stage: 'build' }), /stage: unknown stage 'build'/);
  assert.throws(() => triage.diagnose('x', { exitStatus: '1' }), { name: 'TypeError', message: /option 'exitStatus' must be an integer/ });
  assert.throws(() => triage.diagnose('x', { exitstatus: 1 }), { name: 'TypeError', message: /unknown option 'exitstatus'/ });
  assert.throws(() => triage.diagnose('x', 'sandbox-create'), { name: 'TypeError', message: /options must be an object/ });
  assert.throws(() => triage.diagnose('x', { openshellVersion: 'latest' }), /openshellVersion/);
  assert.throws(() => triage.diagnose('x', { httpStatus: 401 }), /apply to stage 'provider-validation' only/);
  assert.throws(() => triage.diagnose('x', { stage: 'provider-validation', httpStatus: 70000 }), /httpStatus: 70000 is not an HTTP status/);
  assert.throws(() => triage.plan(triage.diagnose('x'), { platform: 'plan9' }), /platform: unknown os 'plan9'/);
  assert.throws(() => triage.plan(triage.diagnose('x'), { format: 'yaml' }), /format: unknown format 'yaml'/);
  assert.throws(() => triage.plan(triage.diagnose('x'), { frontend: 'k8s' }), /frontend: unknown front end 'k8s'/);
  assert.throws(() => triage.plan({ kind: 'unknown' }), { name: 'TypeError', message: /pass the object diagnose\(\) returned/ });
  assert.throws(() => triage.plan(triage.diagnose('x'), { argv: ['openshell', 'sandbox', 'create', '--name', '../x'] }), /argv: .*not a valid name/);
  assert.throws(() => new triage.Classifier({ stage: 1 }), { name: 'TypeError' });
});

test('a finished classifier says so, and never throws at the event loop', async () => {
  const classifier = new triage.Classifier();
  classifier.push('Created sandbox: demo\n');
  const answer = await classifier.finish(0);
  assert.equal(answer.kind, 'none');
  await assert.rejects(classifier.finish(0), /write after end|finished/);
  // A push after the end is an error kept for finish(), not an uncaught exception.
  classifier.push('more');
  await new Promise((resolve) => setImmediate(resolve));
  await assert.rejects(() => classifier.finish(1), /write after end|finished/);
  await assert.rejects(() => new triage.Classifier().finish(1.5), /the exit status must be an integer/);
});

test('a long string is read in slices with the answer of its bytes read whole', () => {
  const { SLICE } = require('../lib/reading.js');
  const step = '  Step 3/9 : RUN npm ci\n';
  const error = 'npm error code ECONNRESET ';
  // The failed step's error line, with a character made of two UTF-16 units (or a lone
  // first half) exactly where the first slice ends.
  const filler = 'x'.repeat(SLICE - 2 - step.length - error.length) + '\n';
  const summary = "\nThe command '/bin/sh -c npm ci' returned a non-zero code: 1\n";
  for (const at of ['\u{1F600}', '\ud83dZ']) {
    const text = step + filler + error + at + summary + 'more output\n'.repeat(SLICE / 8);
    assert.equal(text.charCodeAt(SLICE - 1), 0xd83d);
    const whole = triage.diagnose(Buffer.from(text, 'utf8'), { exitStatus: 1 });
    assert.equal(whole.kind, 'build_step_network_failed');
    const proof = whole.evidence.find((e) => e.text.startsWith(error));
    assert.equal(proof.text, error + (at === '\u{1F600}' ? '\u{1F600}' : '\uFFFDZ'));
    assert.deepEqual(triage.diagnose(text, { exitStatus: 1 }), whole);
    assert.deepEqual(triage.classifySandboxCreateFailure(text), { kind: whole.kind, uploadedToGateway: false });
  }
});

test("a pushed chunk is the classifier's own: moving or changing the caller's buffer afterwards changes nothing", async () => {
  for (let round = 0; round < 5; round += 1) {
    const classifier = new triage.Classifier();
    const chunk = Buffer.alloc(8 << 20, 'x\n');
    Buffer.from('Error: failed to upload image tar into container\n').copy(chunk, chunk.length - 64);
    chunk.fill('\n', chunk.length - 15);
    classifier.push(chunk);
    // Transferred away, its memory is detached and freed; then overwritten by others.
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(chunk.buffer, [chunk.buffer]);
    port1.close();
    port2.close();
    assert.equal(chunk.length, 0);
    const noise = Buffer.alloc(8 << 20, 'Created sandbox: x\n');
    const answer = await classifier.finish(1);
    assert.equal(answer.kind, 'image_upload_container_missing', `round ${round}`);
    assert.ok(noise.length > 0);
  }
  // Chunks pushed while others wait are the classifier's own too.
  for (const change of ['reuse', 'transfer']) {
    const classifier = new triage.Classifier();
    // Each with an ArrayBuffer of its own (Buffer.from would share Node's pool).
    const own = (text) => Buffer.alloc(Buffer.byteLength(text), text);
    const chunks = [Buffer.alloc(2 << 20, 'x\n'), own('Error: failed to upload image tar into container\n'), own('x\n')];
    for (const chunk of chunks) classifier.push(chunk);
    for (const chunk of chunks) {
      if (change === 'reuse') chunk.fill('z');
      else structuredClone(chunk.buffer, { transfer: [chunk.buffer] });
    }
    assert.equal((await classifier.finish(1)).kind, 'image_upload_container_missing', change);
  }
});

test('a destroyed classifier stops its worker, and says so at finish', async () => {
  const classifier = new triage.Classifier();
  classifier.push(Buffer.alloc(4 << 20, 'x\n'));
  classifier.destroy(new Error('the child could not start'));
  await assert.rejects(classifier.finish(1), /the child could not start/);
});

test('numbers the engine cannot take are refused, never wrapped', async () => {
  for (const wide of [2 ** 32, 2 ** 31, 1e300, -(2 ** 31) - 1]) {
    assert.throws(() => triage.diagnose('Connection reset by peer', { exitStatus: wide }), /exitStatus' must be an integer \(32-bit\)/);
    await assert.rejects(new triage.Classifier().finish(wide), /must be an integer \(32-bit\)/);
  }
  // NemoClaw compares statuses with ===: a number no status equals is none.
  assert.deepEqual(triage.classifyValidationFailure({ httpStatus: 2 ** 32 + 401 }), { kind: 'unknown', retry: 'selection' });
  assert.deepEqual(triage.classifyValidationFailure({ curlStatus: 2 ** 32 }), { kind: 'transport', retry: 'retry' });
});

test('nothing set on Object.prototype is read as an option', () => {
  for (const [key, value] of [['exitStatus', 0], ['stage', 'provider-validation'], ['failed', false], ['createArgs', ['--name', 'x']]]) {
    Object.prototype[key] = value;
    try {
      assert.equal(triage.classifySandboxCreateFailure('Error: failed to upload image tar into container').kind, 'image_upload_container_missing', key);
      assert.equal(triage.diagnose('Error: failed to upload image tar into container', { exitStatus: 1 }).kind, 'image_upload_container_missing', key);
    } finally {
      delete Object.prototype[key];
    }
  }
  assert.throws(() => triage.diagnose('x', JSON.parse('{"__proto__": {"exitStatus": 0}}')), /unknown option '__proto__'/);
  assert.throws(() => triage.diagnose('x', { toString: 1 }), /unknown option 'toString'/);
  assert.throws(() => triage.plan('x', { look: { width: '50' } }), /option 'width' must be an integer/);
  assert.throws(() => triage.plan('x', { look: { colour: true } }), /unknown option 'colour'/);
});

test('the hint printer never throws on the flags it is given', () => {
  const lines = [];
  const error = console.error;
  console.error = (line) => lines.push(line);
  try {
    for (const createArgs of [['--name', '../x'], [, , '--name'], [null, undefined, { toString: () => { throw new Error('no'); } }], 'not an array']) {
      lines.length = 0;
      triage.printSandboxCreateRecoveryHints('Error: failed to upload image tar into container', { createArgs });
      assert.match(lines[0], /^ {2}image_upload_container_missing/);
    }
    triage.printSandboxCreateRecoveryHints('x', { createArgs: ['--name', '../x'] });
    assert.match(lines.at(-1), /the create's flags were left out: createArgs: .*not a valid name/);
  } finally {
    console.error = error;
  }
});
