// The package's layout follows napi-rs's conventions: each target in package.json has
// its per-platform package, named as binding.js loads it, at the workspace's version.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const HERE = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8'));
const { platformName } = require('../lib/platform.js');

// Rust's target triple as napi-rs names the platform.
const NAMES = {
  'x86_64-unknown-linux-gnu': ['linux-x64-gnu', 'linux', 'x64'],
  'aarch64-unknown-linux-gnu': ['linux-arm64-gnu', 'linux', 'arm64'],
  'x86_64-apple-darwin': ['darwin-x64', 'darwin', 'x64'],
  'aarch64-apple-darwin': ['darwin-arm64', 'darwin', 'arm64'],
};

test('every target has its per-platform package, at the workspace version', () => {
  const cargo = readFileSync(join(HERE, '..', '..', 'Cargo.toml'), 'utf8');
  const version = /\[workspace\.package\][^[]*?version = "([^"]+)"/.exec(cargo)[1];
  assert.equal(pkg.version, version);
  assert.equal(pkg.napi.binaryName, 'sandbox-triage');
  for (const target of pkg.napi.targets) {
    const [name, os, cpu] = NAMES[target];
    const platform = JSON.parse(readFileSync(join(HERE, 'npm', name, 'package.json'), 'utf8'));
    assert.equal(platform.name, `sandbox-triage-${name}`);
    assert.equal(platform.version, version);
    assert.deepEqual([platform.os, platform.cpu], [[os], [cpu]]);
    assert.equal(platform.main, `sandbox-triage.${name}.node`);
    assert.equal(pkg.optionalDependencies[platform.name], version);
  }
  assert.equal(Object.keys(pkg.optionalDependencies).length, pkg.napi.targets.length);
});

test("this machine's addon is where binding.js looks, and every published file exists", () => {
  assert.ok(existsSync(join(HERE, `sandbox-triage.${platformName()}.node`)), 'run `node scripts/build.js`');
  for (const file of pkg.files) assert.ok(existsSync(join(HERE, file)), file);
  assert.ok(existsSync(join(HERE, pkg.main)) && existsSync(join(HERE, pkg.types)));
});
