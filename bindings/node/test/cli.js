// The command the package must agree with: `sandbox-triage`, built from the same
// workspace (SANDBOX_TRIAGE_BIN names another).
'use strict';

const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { resolve } = require('node:path');

const WORKSPACE = resolve(__dirname, '..', '..', '..');

function binary() {
  const named = process.env.SANDBOX_TRIAGE_BIN;
  if (named) return named;
  for (const profile of ['debug', 'release']) {
    const path = resolve(process.env.CARGO_TARGET_DIR ?? resolve(WORKSPACE, 'target'), profile, 'sandbox-triage');
    if (existsSync(path)) return path;
  }
  throw new Error('sandbox-triage is not built: run `cargo build` in the workspace (or set SANDBOX_TRIAGE_BIN)');
}

// Runs the command with `args`; its stdout, or an error with its stderr.
function run(args, { input, allowed = [0, 1] } = {}) {
  const done = spawnSync(binary(), args, { input, cwd: WORKSPACE, maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
  if (done.error) throw done.error;
  if (!allowed.includes(done.status)) {
    throw new Error(`sandbox-triage ${args.join(' ')} exited ${done.status}: ${done.stderr}`);
  }
  return done.stdout.toString('utf8');
}

// The command-line flags for `diagnose` options.
function flags(options) {
  const out = [];
  const flag = { stage: '--stage', exitStatus: '--exit-status', openshellVersion: '--openshell-version', httpStatus: '--http-status', curlStatus: '--curl-status', dockerfile: '--dockerfile' };
  for (const [key, value] of Object.entries(options)) out.push(flag[key], String(value));
  return out;
}

module.exports = { WORKSPACE, binary, flags, run };
