#!/usr/bin/env node
// Throughput of `diagnose` from Node beside the command's `classify` on the same log, in
// one run, best of five each, alternating (this machine's speed drifts minute to
// minute: the ratio is the figure). `classify` is timed whole (start, read the file,
// answer); `diagnose` on a Buffer and on a string already in memory, then with Node
// reading the file first (`readFileSync`); and the streaming Classifier fed from a file.
//
//   node bench/throughput.js [LOG…]     (default: a 128 MiB classic-builder log, made once)
//
// The command is target/release/sandbox-triage (`cargo build --release`), the addon the
// one `node scripts/build.js` built.
'use strict';

const { spawnSync } = require('node:child_process');
const { createReadStream, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync, closeSync } = require('node:fs');
const { loadavg, cpus } = require('node:os');
const { join, resolve } = require('node:path');
const { pipeline } = require('node:stream/promises');

const triage = require('..');

const WORKSPACE = resolve(__dirname, '..', '..', '..');
const CLI = process.env.SANDBOX_TRIAGE_BIN ?? join(WORKSPACE, 'target', 'release', 'sandbox-triage');
const RUNS = 5;
const MIB = Number(process.env.SANDBOX_TRIAGE_BENCH_MIB ?? 128);

// A classic-builder log as OpenShell relays it: steps, package output, a failed step.
function generate(path) {
  if (existsSync(path) && statSync(path).size >= MIB << 20) return;
  mkdirSync(resolve(path, '..'), { recursive: true });
  const fd = openSync(path, 'w');
  writeSync(fd, '  Building image openshell/sandbox-from:1786000000 from ./Dockerfile\n');
  let written = 0;
  for (let i = 0; written < MIB << 20; i += 1) {
    const block =
      `  Step ${(i % 40) + 1}/41 : RUN npm install --no-audit package-${i}\n   ---> Running in ${(i * 2654435761 >>> 0).toString(16)}\n` +
      Array.from({ length: 40 }, (_, j) => `npm http fetch GET 200 https://registry.npmjs.org/dep-${i}-${j}/-/dep-${j}.tgz ${j * 7}ms (cache miss)\n`).join('') +
      '   ---> 4f2a9c1e\n';
    written += writeSync(fd, block);
  }
  writeSync(fd, "npm error code ECONNRESET\nnpm error network aborted\nThe command '/bin/sh -c npm ci' returned a non-zero code: 1\n");
  closeSync(fd);
}

function seconds(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function cli(log) {
  const start = process.hrtime.bigint();
  const done = spawnSync(CLI, ['classify', '--format', 'json', '--exit-status', '1', log], { stdio: ['ignore', 'pipe', 'inherit'] });
  const took = seconds(start);
  if (done.error || done.status > 1) throw new Error(`${CLI}: ${done.error?.message ?? `exit ${done.status}`}`);
  return { took, kind: JSON.parse(done.stdout).kind };
}

// diagnose() on the output in memory, as NemoClaw holds it.
function timed(input) {
  const start = process.hrtime.bigint();
  const answer = triage.diagnose(input, { exitStatus: 1 });
  return { took: seconds(start), kind: answer.kind };
}

function buffer(log) {
  return timed(readFileSync(log));
}

function string(log) {
  return timed(readFileSync(log, 'utf8'));
}

function readThenDiagnose(log) {
  const start = process.hrtime.bigint();
  const answer = triage.diagnose(readFileSync(log), { exitStatus: 1 });
  return { took: seconds(start), kind: answer.kind };
}

async function stream(log) {
  const start = process.hrtime.bigint();
  const classifier = new triage.Classifier();
  await pipeline(createReadStream(log, { highWaterMark: 1 << 20 }), classifier);
  const answer = await classifier.finish(1);
  return { took: seconds(start), kind: answer.kind };
}

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is not built: cargo build --release`);
  const logs = process.argv.slice(2);
  if (logs.length === 0) {
    const made = join(WORKSPACE, 'target', 'bench-data', `node-classic-${MIB}.log`);
    generate(made);
    logs.push(made);
  }
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores; best of ${RUNS}`);
  const MEASURES = [
    ['classify (CLI)', cli],
    ['diagnose(Buffer)', buffer],
    ['diagnose(string)', string],
    ['readFileSync + diagnose', readThenDiagnose],
    ['Classifier from a file', stream],
  ];
  for (const log of logs) {
    const size = statSync(log).size;
    const best = MEASURES.map(() => Infinity);
    const kinds = new Set();
    for (let run = 0; run < RUNS; run += 1) {
      for (const [i, [, measure]] of MEASURES.entries()) {
        const { took, kind } = await measure(log);
        kinds.add(kind);
        best[i] = Math.min(best[i], took);
      }
    }
    if (kinds.size !== 1) throw new Error(`the answers differ: ${[...kinds].join(', ')}`);
    console.log(`\n${log.split('/').pop()}, ${(size / (1 << 20)).toFixed(0)} MiB (${[...kinds][0]})`);
    for (const [i, [name]] of MEASURES.entries()) {
      const rate = `${(size / best[i] / 1e9).toFixed(2)} GB/s`;
      console.log(`  ${name.padEnd(24)} ${rate.padStart(10)}   ${(best[i] / best[0]).toFixed(2)}x the CLI's time`);
    }
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(2);
});
