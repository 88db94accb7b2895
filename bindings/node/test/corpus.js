// The corpus (tests/corpus/*.log) as the tests read it: each file's header (what a
// correct classifier answers) and its payload (the captured output, as bytes).
'use strict';

const { readdirSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const DIR = resolve(__dirname, '..', '..', '..', 'tests', 'corpus');
const SEPARATOR = Buffer.from('# ---\n');

// A file's header keys (`# key: value`, the first of each) and its payload: everything
// after the first line that is exactly `# ---`, without the file's one final newline.
function parse(path) {
  const raw = readFileSync(path);
  const at = raw.indexOf(SEPARATOR);
  if (at < 0 || (at > 0 && raw[at - 1] !== 0x0a)) throw new Error(`${path}: no '# ---' line`);
  const header = {};
  for (const line of raw.subarray(0, at).toString('utf8').split('\n')) {
    const match = /^# ([a-zA-Z-]+): ?(.*)$/.exec(line);
    if (match && !(match[1] in header)) header[match[1]] = match[2].trim();
  }
  let payload = raw.subarray(at + SEPARATOR.length);
  if (payload.length > 0 && payload[payload.length - 1] === 0x0a) payload = payload.subarray(0, -1);
  return { name: path.split('/').pop(), header, payload };
}

// Every corpus file, by name.
function corpus() {
  return readdirSync(DIR)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => parse(join(DIR, name)));
}

// The options `sandbox-triage classify` gets for a file: its stage, exit status,
// release and provider statuses, as the Rust corpus test passes them.
function optionsOf(header) {
  const stage = { 'sandbox-create': 'sandbox-create', 'gateway-start': 'gateway-start', 'provider-validation': 'provider-validation' }[
    header.classifier
  ];
  const options = { stage: stage ?? 'sandbox-create' };
  if (header['exit-status'] !== undefined) options.exitStatus = Number(header['exit-status']);
  if (header['openshell-version'] !== undefined) options.openshellVersion = header['openshell-version'];
  if (header['http-status'] !== undefined) options.httpStatus = Number(header['http-status']);
  if (header['curl-exit'] !== undefined) options.curlStatus = Number(header['curl-exit']);
  if (header['dockerfile-fixture'] !== undefined) options.dockerfile = resolve(DIR, '..', 'dockerfiles', header['dockerfile-fixture']);
  return options;
}

// The answer the header asks of this project for `key` (the improved one when given).
function expected(header, key) {
  if (key === 'kind') return header['expected-improved'] ?? header.expected;
  return header[`expected-improved-${key}`] ?? header[`expected-${key}`];
}

module.exports = { DIR, corpus, expected, optionsOf, parse };
