// The streaming classifier: the same answer as the whole input, whatever the chunks;
// a real child process's streams; 1 GiB in bounded memory; the event loop free while a
// large chunk is read.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { Readable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { join } = require('node:path');

const triage = require('..');
const { corpus, optionsOf } = require('./corpus.js');

// A small seeded generator (mulberry32): the cuts differ per seed, and a failure names it.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = Number(process.env.SANDBOX_TRIAGE_SEED ?? Date.now() % 100000);

test(`every corpus file cut at random boundaries answers as the whole (seed ${SEED})`, async () => {
  const next = random(SEED);
  for (const file of corpus()) {
    const { exitStatus, ...options } = optionsOf(file.header);
    const whole = triage.diagnose(file.payload, optionsOf(file.header));
    const classifier = new triage.Classifier(options);
    let at = 0;
    while (at < file.payload.length) {
      // Mostly small cuts (inside lines, inside UTF-8 sequences), sometimes large.
      const size = next() < 0.8 ? 1 + Math.floor(next() * 16) : 1 + Math.floor(next() * 4096);
      classifier.push(file.payload.subarray(at, at + size));
      at += size;
    }
    assert.deepEqual(await classifier.finish(exitStatus), whole, `${file.name} (seed ${SEED})`);
  }
});

test("a child process's two streams, pushed as they come, answer as the captured output", async () => {
  const log = join(__dirname, '..', '..', '..', 'examples', 'upload-404-podman.log');
  const classifier = new triage.Classifier();
  const child = spawn('sh', ['-c', 'cat "$1" >&2; echo "the last line" ; exit 3', 'sh', log]);
  const seen = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (c) => {
      seen.push(c);
      classifier.push(c);
    });
  }
  const [code, signal] = await new Promise((resolve) => child.on('close', (...ended) => resolve(ended)));
  assert.equal(code, 3);
  const answer = await classifier.finish(code, signal);
  assert.deepEqual(answer, triage.diagnose(Buffer.concat(seen), { exitStatus: 3 }));
  assert.equal(answer.kind, 'image_upload_container_missing');
  assert.equal(answer.gateway, 'nemoclaw');
});

test('a child killed by a signal ends with the status a shell reports', async () => {
  const classifier = new triage.Classifier({ stage: 'sandbox-create' });
  const child = spawn('sh', ['-c', 'echo "  Step 2/5 : RUN make"; kill -TERM $$']);
  child.stdout.on('data', (c) => classifier.push(c));
  const [code, signal] = await new Promise((resolve) => child.on('close', (...ended) => resolve(ended)));
  assert.equal(code, null);
  assert.equal(signal, 'SIGTERM');
  const answer = await classifier.finish(code, signal);
  assert.deepEqual(answer, triage.diagnose('  Step 2/5 : RUN make\n', { exitStatus: 143 }));
});

// A failed build whose step printed `lines` lines, as a stream of 1 MiB chunks.
function build(bytes) {
  const line = Buffer.from('npm http fetch GET 200 https://registry.npmjs.org/left-pad 12ms (cache miss)\n');
  const chunk = Buffer.alloc(1 << 20);
  for (let at = 0; at + line.length <= chunk.length; at += line.length) line.copy(chunk, at);
  const head = Buffer.from('  Building image openshell/sandbox-from:1 from ./Dockerfile\n  Step 3/9 : RUN npm ci\n');
  const tail = Buffer.from(
    '\nnpm error code ECONNRESET\nnpm error network aborted\nThe command \'/bin/sh -c npm ci\' returned a non-zero code: 1\n',
  );
  return Readable.from(
    (function* chunks() {
      yield head;
      for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk;
      yield tail;
    })(),
  );
}

test('a 1 GiB output is classified in bounded memory', async () => {
  const classifier = new triage.Classifier({ stage: 'sandbox-create' });
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    await pipeline(build(1 << 30), classifier);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const answer = await classifier.finish(1);
  assert.equal(answer.kind, 'build_step_network_failed');
  assert.equal(answer.failed_step.number, 3);
  // The proof is the step's own error line, numbered where it is, after 1 GiB of output.
  const proof = answer.evidence.find((e) => e.text.includes('ECONNRESET'));
  assert.ok(proof, JSON.stringify(answer.evidence));
  assert.ok(proof.line > 13_000_000, `line ${proof.line}`);
  const grown = (peak - before) / (1 << 20);
  assert.ok(grown < 256, `memory grew by ${grown.toFixed(0)} MiB reading 1 GiB`);
});

test('the event loop runs while a large chunk is read', async () => {
  const classifier = new triage.Classifier();
  const big = Buffer.alloc(256 << 20, 'x\n');
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, 1);
  classifier.push(big);
  const answer = await classifier.finish(1);
  clearInterval(timer);
  assert.equal(answer.kind, 'unknown');
  // Read on the event loop, the chunk would hold it: a timer could fire once at most.
  assert.ok(ticks >= 5, `${ticks} timer ticks while 256 MiB were read`);
});
