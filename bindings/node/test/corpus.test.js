// Every corpus file through `diagnose`: the object is the one `classify --format json`
// prints for it, and it answers what the file's header requires.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const triage = require('..');
const { corpus, expected, optionsOf } = require('./corpus.js');
const cli = require('./cli.js');

const files = corpus();

test('the corpus is there', () => {
  assert.ok(files.length > 300, `only ${files.length} corpus files`);
});

test('diagnose() gives the object `classify --format json` prints, for every corpus file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-triage-node-'));
  try {
    // One run of the command per set of options, over the files that share them.
    const groups = new Map();
    for (const file of files) {
      const options = optionsOf(file.header);
      const key = JSON.stringify(options);
      if (!groups.has(key)) groups.set(key, { options, files: [] });
      const path = join(dir, file.name);
      writeFileSync(path, file.payload);
      groups.get(key).files.push({ file, path });
    }
    let compared = 0;
    for (const { options, files: group } of groups.values()) {
      const printed = JSON.parse(cli.run(['classify', '--format', 'json', ...cli.flags(options), ...group.map((g) => g.path)], { allowed: [0, 1] }));
      const answers = group.length === 1 ? [{ path: group[0].path, diagnosis: printed }] : printed.files;
      for (const [i, { file, path }] of group.entries()) {
        assert.equal(answers[i].path, path);
        assert.deepEqual(triage.diagnose(file.payload, options), answers[i].diagnosis, file.name);
        compared += 1;
      }
    }
    assert.equal(compared, files.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("diagnose() answers every corpus file's expected kind, upload flag and built image", () => {
  const wrong = [];
  for (const file of files) {
    const answer = triage.diagnose(file.payload, optionsOf(file.header));
    const want = {
      kind: expected(file.header, 'kind'),
      uploaded: expected(file.header, 'uploadedToGateway'),
      image: expected(file.header, 'builtImageRef'),
    };
    if (answer.kind !== want.kind) wrong.push(`${file.name}: kind ${answer.kind}, expected ${want.kind}`);
    if (want.uploaded !== undefined && String(answer.uploaded_to_gateway) !== want.uploaded) {
      wrong.push(`${file.name}: uploaded_to_gateway ${answer.uploaded_to_gateway}, expected ${want.uploaded}`);
    }
    if (want.image !== undefined && String(answer.built_image_ref) !== want.image) {
      wrong.push(`${file.name}: built image ${answer.built_image_ref}, expected ${want.image}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the compatible functions answer each failed create as diagnose() does', () => {
  // NemoClaw classifies only failed creates and does not pass the status: every corpus
  // create that failed, with a status that tells nothing more than that (not 129, 130
  // or 143, which say it was stopped), gets the full answer's kind and facts.
  const told = new Set([0, 129, 130, 143]);
  let checked = 0;
  for (const file of files) {
    const options = optionsOf(file.header);
    if (options.stage !== 'sandbox-create' || told.has(options.exitStatus)) continue;
    const full = triage.diagnose(file.payload, options);
    const text = file.payload.toString('utf8');
    assert.deepEqual(
      triage.classifySandboxCreateFailure(file.payload),
      { kind: full.kind, uploadedToGateway: full.uploaded_to_gateway },
      file.name,
    );
    assert.equal(triage.classifySandboxCreateFailure(text).kind, full.kind, `${file.name} (as a string)`);
    assert.equal(triage.extractBuiltImageRef(text), full.built_image_ref, file.name);
    checked += 1;
  }
  assert.ok(checked > 250, `only ${checked} creates compared`);
  for (const file of files.filter((f) => f.header.classifier === 'gateway-start')) {
    assert.equal(triage.classifyGatewayStartFailure(file.payload.toString('utf8')).kind, expected(file.header, 'kind'), file.name);
  }
});
