// plan() prints what `sandbox-triage plan` prints, in every format; the hint printer
// speaks the same plan in NemoClaw's voice, with nothing secret in it.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const triage = require('..');
const { corpus, optionsOf } = require('./corpus.js');
const cli = require('./cli.js');

const EXAMPLES = join(cli.WORKSPACE, 'examples');
const UPLOAD_404 = join(EXAMPLES, 'upload-404-podman.log');
const SECRET = 'nvapi-' + 'k'.repeat(40);
const ARGV = [
  'openshell', 'sandbox', 'create', '--from', '/tmp/nemoclaw-build-x/Dockerfile', '--name', 'my-assistant',
  '--policy', '/tmp/nemoclaw-policy-1.yaml', '--provider', 'my-assistant-slack',
  '--', 'env', `NVIDIA_API_KEY=${SECRET}`, 'CHAT_UI_URL=http://127.0.0.1:18789', 'nemoclaw-start',
];
const HOST = { platform: 'linux', arch: 'arm64' };

test('plan() is `plan --format json|human|sh`, for the examples and one corpus file of each kind', () => {
  const cases = [
    { path: UPLOAD_404, options: { exitStatus: 1 }, argv: ARGV },
    { path: join(EXAMPLES, 'plugin-install-blocked.log'), options: { exitStatus: 1 }, argv: [] },
  ];
  const kinds = new Set();
  for (const file of corpus()) {
    const kind = file.header['expected-improved'] ?? file.header.expected;
    if (kinds.has(kind)) continue;
    kinds.add(kind);
    cases.push({ path: join(cli.WORKSPACE, 'tests', 'corpus', file.name), payload: file.payload, options: optionsOf(file.header), argv: [] });
  }
  for (const { path, payload, options, argv } of cases) {
    const input = payload ?? readFileSync(path);
    const diagnosis = triage.diagnose(input, options);
    const tail = argv.length > 0 ? ['--', ...argv] : [];
    const host = ['--os', HOST.platform, '--arch', HOST.arch];
    const flags = [...cli.flags(options), ...host];
    const ours = { ...HOST, argv };
    assert.deepEqual(triage.plan(diagnosis, ours), JSON.parse(cli.run(['plan', '--format', 'json', ...flags, '-', ...tail], { input })), path);
    assert.equal(triage.plan(diagnosis, { ...ours, format: 'human' }), cli.run(['plan', '--format', 'human', ...flags, '-', ...tail], { input }), path);
    assert.equal(triage.plan(diagnosis, { ...ours, format: 'sh' }), cli.run(['plan', '--format', 'sh', ...flags, '-', ...tail], { input }), path);
  }
  assert.ok(kinds.size > 30, `only ${kinds.size} kinds`);
});

test('plan() takes an output as well as a diagnosis, and keeps no secret of the argv', () => {
  const output = readFileSync(UPLOAD_404);
  const viaDiagnosis = triage.plan(triage.diagnose(output, { exitStatus: 1 }), { ...HOST, argv: ARGV });
  assert.deepEqual(triage.plan(output, { exitStatus: 1, ...HOST, argv: ARGV }), viaDiagnosis);
  const json = JSON.stringify(viaDiagnosis);
  assert.ok(!json.includes(SECRET));
  assert.ok(!json.includes('/tmp/nemoclaw-policy-1.yaml'));
  assert.ok(json.includes('SANDBOX_TRIAGE_NVIDIA_API_KEY'));
});

// What printSandboxCreateRecoveryHints prints, line by line.
function hints(output, options) {
  const lines = [];
  const error = console.error;
  console.error = (line) => lines.push(line);
  try {
    triage.printSandboxCreateRecoveryHints(output, options);
  } finally {
    console.error = error;
  }
  return lines;
}

test('the hints are the plan, every line indented two spaces, on standard error', () => {
  const output = readFileSync(UPLOAD_404, 'utf8');
  const args = ['--from', '/tmp/nemoclaw-build-x/Dockerfile', '--name', 'my-assistant', '--policy', '/tmp/p.yaml', '--provider', 'my-assistant-slack'];
  const lines = hints(output, { ...HOST, createArgs: args });
  assert.ok(lines.every((line) => line === '' || line.startsWith('  ')), lines.join('\n'));
  const text = lines.join('\n');
  assert.match(text, /^ {2}image_upload_container_missing \(phase: upload\)/);
  // The create keeps NemoClaw's flags, asks for the policy and the runtime environment.
  assert.ok(
    text.includes(
      'openshell sandbox create --from openshell/sandbox-from:1786000000 --name my-assistant --policy "${SANDBOX_TRIAGE_POLICY_FILE?}" --provider my-assistant-slack -- env "${SANDBOX_TRIAGE_RUNTIME_ENV?}" nemoclaw-start',
    ),
    text,
  );
  assert.ok(!text.includes('/tmp/p.yaml'));
  assert.ok(!text.includes('/tmp/nemoclaw-build-x'));
  // Flags that hold their runtime environment keep it asked for, the secret never shown.
  const withEnv = hints(output, { ...HOST, createArgs: [...args, '--', 'env', `NVIDIA_API_KEY=${SECRET}`, 'nemoclaw-start'] }).join('\n');
  assert.ok(!withEnv.includes(SECRET), withEnv);
  assert.ok(withEnv.includes('-- env NVIDIA_API_KEY="${SANDBOX_TRIAGE_NVIDIA_API_KEY?}" nemoclaw-start'), withEnv);
  // The same plan the full surface gives for NemoClaw's create: every command line.
  const argv = ['openshell', 'sandbox', 'create', ...args, '--', 'env', 'RUNTIME_ENV_IS_ASKED=x', 'nemoclaw-start'];
  const recovery = triage.plan(triage.diagnose(output, { failed: true }), { ...HOST, argv, format: 'human', look: { width: 98 } });
  const commands = (lines) => lines.map((l) => l.trim()).filter((l) => /^(podman|docker|openshell) /.test(l));
  const ours = commands(recovery.split('\n')).map((l) => l.replace('RUNTIME_ENV_IS_ASKED="${SANDBOX_TRIAGE_RUNTIME_ENV_IS_ASKED?}"', '"${SANDBOX_TRIAGE_RUNTIME_ENV?}"'));
  assert.ok(ours.length >= 8, ours.join('\n'));
  assert.deepEqual(commands(lines), ours);
});

test("the hints show NemoClaw's create context when the flags are not passed, masked", () => {
  const lines = hints('Error: failed to upload image tar into container', {
    ...HOST,
    createContext: {
      sourceReference: `https://user:${SECRET}@registry.example.invalid/x:1`,
      policyAttached: true,
      providers: ['nvidia', 'slack'],
      gpuRequested: true,
      gpuDevice: null,
      cpu: 2,
      memory: '4Gi',
    },
  });
  const text = lines.join('\n');
  for (const want of ['runtime environment omitted', 'policy: attached', 'providers: nvidia, slack', 'gpu: requested', 'resources: cpu=2, memory=4Gi']) {
    assert.ok(text.includes(want), `${want} in\n${text}`);
  }
  assert.ok(!text.includes(SECRET), text);
  const bare = hints('', { createContext: {} }).join('\n');
  assert.ok(bare.includes('providers: none') && bare.includes('resources: defaults') && bare.includes('gpu: none'), bare);
});

test("the hints speak to NemoClaw's user: nothing about this tool's own commands, and NemoClaw's way back", () => {
  const cases = [
    'Created sandbox: test-sandbox\nError: handshake verification failed',
    readFileSync(UPLOAD_404, 'utf8'),
    '[progress] Uploaded to gateway\nfailed to read image export stream',
    'Created sandbox: demo',
    'nothing to see',
  ];
  for (const output of cases) {
    for (const options of [{ ...HOST, createContext: { sourceReference: 'x', policyAttached: true } }, { ...HOST, createArgs: ['--name', 'demo'] }]) {
      const text = hints(output, options).join('\n');
      for (const ours of ['recover --set', 'recover takes', 'even under --yes', 'to this tool', "after `--`"]) {
        assert.ok(!text.includes(ours), `${ours} in\n${text}`);
      }
      assert.match(text, /nemoclaw onboard --resume/, text);
    }
  }
});

test("the hints resume under NemoClaw's own command name", () => {
  const saved = process.env.NEMOCLAW_INVOKED_AS;
  try {
    process.env.NEMOCLAW_INVOKED_AS = 'nemohermes';
    const text = hints('Error: CDI device injection failed: unresolvable CDI devices nvidia.com/gpu=all', HOST).join('\n');
    assert.ok(text.includes('nemohermes onboard'), text);
    assert.ok(!text.includes('nemoclaw onboard'), text);
  } finally {
    if (saved === undefined) delete process.env.NEMOCLAW_INVOKED_AS;
    else process.env.NEMOCLAW_INVOKED_AS = saved;
  }
});
