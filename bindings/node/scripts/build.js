#!/usr/bin/env node
// Builds the native addon with cargo and puts it where `binding.js` looks for it
// (`sandbox-triage.<platform>.node` beside `index.js`), as `napi build --platform`
// does, without needing the npm registry.
//
//   node scripts/build.js [--profile release|dev|<profile>]
'use strict';

const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

const here = resolve(__dirname, '..');
const workspace = resolve(here, '..', '..');
const at = process.argv.indexOf('--profile');
const profile = at >= 0 ? process.argv[at + 1] : 'release';
if (!profile) {
  console.error('build.js: --profile needs a value (release, dev, …)');
  process.exit(2);
}

const cargo = spawnSync('cargo', ['build', '--locked', '--profile', profile, '-p', 'sandbox-triage-node'], {
  cwd: workspace,
  stdio: 'inherit',
});
if (cargo.error) {
  console.error(`build.js: cannot run cargo: ${cargo.error.message}`);
  process.exit(2);
}
if (cargo.status !== 0) process.exit(cargo.status ?? 1);

const library = {
  linux: 'libsandbox_triage_node.so',
  darwin: 'libsandbox_triage_node.dylib',
  win32: 'sandbox_triage_node.dll',
}[process.platform];
if (!library) {
  console.error(`build.js: no addon build for ${process.platform}`);
  process.exit(2);
}
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(workspace, 'target');
const built = join(targetDir, profile === 'dev' ? 'debug' : profile, library);
if (!existsSync(built)) {
  console.error(`build.js: cargo finished but ${built} is not there`);
  process.exit(2);
}
// The name binding.js loads: napi-rs's platform naming.
const { platformName } = require('../lib/platform.js');
const dest = join(here, `sandbox-triage.${platformName()}.node`);
copyFileSync(built, dest);
console.log(`built ${dest}`);
