#!/usr/bin/env node
// Writes the README's table of where the package's NemoClaw functions answer differently
// from NemoClaw's own: each corpus file through `classifySandboxCreateFailure` (and its
// siblings) beside the header's `expected` (NemoClaw's answer), with the reason for each
// difference. `--check` fails when the README is not what the corpus gives, or when a
// difference has no reason yet.
'use strict';

const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { corpus } = require('../test/corpus.js');
const triage = require('..');

const README = join(__dirname, '..', 'README.md');
const BEGIN = '<!-- differences:begin (scripts/differences.js writes this) -->';
const END = '<!-- differences:end -->';

// Why we answer differently: by `<NemoClaw's>|<ours>`, else by `*|<ours>`.
const WHY = {
  '*|build_step_network_failed': "a build step's network failure (apt, npm, pip, curl): NemoClaw has no build kinds",
  'image_transfer_reset|build_step_network_failed': 'the reset was printed by a RUN step during the build, not by the image transfer: the phase decides',
  'tls_cert_mismatch|build_step_network_failed': "the certificate error was a RUN step's (pip, conda, curl), not the gateway's",
  '*|build_step_failed': 'a build step failed; the failed step, its cause line and its Dockerfile line are reported',
  '*|build_base_image_pull_failed': "the build's base image could not be pulled (auth, rate limit, TLS, reset)",
  'image_transfer_reset|build_base_image_pull_failed': "the reset was the base image pull's, in the build, not the image transfer's",
  '*|build_stalled': "the build printed nothing for OpenShell's no-output limit",
  '*|disk_full': 'no space left on the device the build or the import writes to',
  '*|docker_unreachable': 'the engine (its socket or TCP address) does not answer',
  'image_transfer_timeout|docker_unreachable': "the timeout was the engine's connection, before any transfer",
  '*|gateway_auth_failed': 'the gateway refused the client certificate',
  '*|gateway_rejected_create': 'the gateway refused the create request itself',
  '*|gateway_unreachable': 'the gateway endpoint does not answer (DNS, refused, timeout)',
  '*|gpu_cdi_injection_failed': 'the CDI error wrapped across terminal lines; NemoClaw needs it on one line',
  '*|image_export_oom_killed': 'the export was killed by the out-of-memory killer',
  '*|image_import_failed': "the gateway's containerd could not import the image",
  '*|image_not_in_gateway_store': "0.0.37+: the gateway's engine does not have the locally built image",
  '*|image_upload_failed': 'the tar upload failed for another reason than a missing container (macOS EINVAL): the 404 workaround would not help',
  '*|interrupted': 'the operator stopped the create (Ctrl-C, SIGTERM): nothing to recover',
  '*|invalid_source': '`--from` names no Dockerfile or image OpenShell can use',
  '*|none': 'the create succeeded (exit 0): the message was printed by build output, or warned and went on',
  'image_upload_container_missing|unknown': 'the upload-404 text was printed by a build step, and the build went on: it is not the failure',
  '*|plugin_install_network_denied': "the plugin install failed in BuildKit's format, which NemoClaw's pattern does not read",
  'image_transfer_timeout|plugin_install_network_denied': "`Timeout error` was npm's, inside the failed plugin-install step",
  '*|provisioning_timeout': 'the sandbox did not become ready in time: the create itself had finished',
  '*|sandbox_already_exists': 'a sandbox of that name exists',
  '*|sandbox_image_pull_failed': "the gateway could not pull the sandbox's image (tag typo, auth, reset mid-pull)",
  'tls_cert_mismatch|sandbox_image_pull_failed': "the x509 error was the image registry's, not the gateway's certificate",
  '*|sandbox_image_unsuitable': 'the image ran but cannot be a sandbox (runs as root, no shell)',
  '*|credential': 'the status was in the message, not beside it',
  '*|endpoint': 'the status was in the message, not beside it',
  '*|model': 'the status was in the message, not beside it',
  '*|transport': "curl's exit status was in the message, not beside it",
  'image_upload_container_missing|sandbox_create_incomplete':
    "a create that succeeded (exit 0; NemoClaw classifies only failures): read as failed, it ended after `Created sandbox:`; the upload-404 text was a build step's",
  'unknown|sandbox_create_incomplete':
    'a create that succeeded (exit 0; NemoClaw classifies only failures): read as failed, it ended after the sandbox was created',
  'uploadedToGateway:false|true': '`sandbox_create_incomplete` sets it, as in NemoClaw (on a create that in fact succeeded)',
  'retry:selection|retry': "curl's exit status was in the message, not beside it",
  'uploadedToGateway:true|false': '0.0.37+ uploads nothing: `Created sandbox:` does not mean an upload happened',
  'builtImageRef:next-line-token|null': 'a bare `Built image` line: the next line is not an image',
  'builtImageRef:null|agent-sandbox:ci-4821': "OpenShell's own line, after a step's output",
  'builtImageRef:null|test-image:latest': "the builder's own `Successfully tagged`, behind a prefix",
};

function why(nemoclaw, ours) {
  return WHY[`${nemoclaw}|${ours}`] ?? WHY[`*|${ours}`];
}

// What the NemoClaw function for the file's stage answers, beside NemoClaw's own.
function answers({ header, payload }) {
  const stage = header.classifier ?? 'sandbox-create';
  const text = payload.toString('utf8');
  if (stage === 'gateway-start') return [['kind', header.expected, triage.classifyGatewayStartFailure(text).kind]];
  if (stage === 'provider-validation') {
    const status = (key) => (header[key] === undefined ? undefined : Number(header[key]));
    const ours = triage.classifyValidationFailure({ httpStatus: status('http-status'), curlStatus: status('curl-exit'), message: text });
    return [
      ['kind', header.expected, ours.kind],
      ['retry', header['expected-retry'], ours.retry],
    ];
  }
  const ours = triage.classifySandboxCreateFailure(text);
  return [
    ['kind', header.expected, ours.kind],
    ['uploadedToGateway', header['expected-uploadedToGateway'], String(ours.uploadedToGateway)],
    ['builtImageRef', header['expected-builtImageRef'], String(triage.extractBuiltImageRef(text))],
  ];
}

function rows() {
  const pairs = new Map();
  let creates = 0;
  let createsDiffer = 0;
  for (const file of corpus()) {
    const stage = file.header.classifier ?? 'sandbox-create';
    if (stage === 'sandbox-create') creates += 1;
    for (const [what, nemoclaw, ours] of answers(file)) {
      if (nemoclaw === undefined || nemoclaw === ours) continue;
      if (stage === 'sandbox-create' && what === 'kind') createsDiffer += 1;
      const shown = what === 'kind' ? nemoclaw : `${what}:${nemoclaw}`;
      const key = `${stage}|${shown}|${ours}`;
      if (!pairs.has(key)) pairs.set(key, { stage, nemoclaw: shown, ours, files: [] });
      pairs.get(key).files.push(file.name);
    }
  }
  return { pairs: [...pairs.values()], creates, createsDiffer };
}

function table() {
  const { pairs, creates, createsDiffer } = rows();
  const missing = [];
  const lines = [
    `Of the corpus's ${creates} sandbox-create logs, ${createsDiffer} get a different kind from`,
    "`classifySandboxCreateFailure` than from NemoClaw's; every other answer is NemoClaw's. Each",
    'difference, with the number of logs and one of them (in `tests/corpus/`):',
    '',
    '| stage | NemoClaw | this package | logs | why | for example |',
    '|---|---|---|---|---|---|',
  ];
  pairs.sort((a, b) => a.stage.localeCompare(b.stage) || b.files.length - a.files.length || a.ours.localeCompare(b.ours) || a.nemoclaw.localeCompare(b.nemoclaw));
  for (const { stage, nemoclaw, ours, files } of pairs) {
    const reason = why(nemoclaw, ours);
    if (!reason) missing.push(`${nemoclaw} → ${ours}`);
    lines.push(`| ${stage} | \`${nemoclaw}\` | \`${ours}\` | ${files.length} | ${reason ?? '?'} | \`${files[0]}\` |`);
  }
  return { text: lines.join('\n'), missing };
}

const { text, missing } = table();
if (missing.length > 0) {
  console.error(`differences without a reason in scripts/differences.js:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
const readme = readFileSync(README, 'utf8');
const begin = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (begin < 0 || end < begin) {
  console.error(`README.md has no ${BEGIN} … ${END} block`);
  process.exit(1);
}
const updated = `${readme.slice(0, begin + BEGIN.length)}\n${text}\n${readme.slice(end)}`;
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md differences table is not what the corpus gives: run `node scripts/differences.js`');
    process.exit(1);
  }
} else {
  writeFileSync(README, updated);
  console.log('README.md differences table written');
}
