// Loads the native addon for this platform, as napi-rs packages do: the file built
// beside this one (`sandbox-triage.<platform>.node`), else the per-platform package
// (`sandbox-triage-<platform>`) installed as an optional dependency. An explicit path
// in NAPI_RS_NATIVE_LIBRARY_PATH wins.
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { platformName } = require('./lib/platform.js');

function load() {
  const name = platformName();
  const tried = [];
  const explicit = process.env.NAPI_RS_NATIVE_LIBRARY_PATH;
  const candidates = explicit ? [explicit] : [join(__dirname, `sandbox-triage.${name}.node`), `sandbox-triage-${name}`];
  for (const candidate of candidates) {
    const isFile = candidate.endsWith('.node');
    if (isFile && !existsSync(candidate)) {
      tried.push(`${candidate}: not built`);
      continue;
    }
    try {
      return require(candidate);
    } catch (error) {
      tried.push(`${candidate}: ${error.message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `sandbox-triage has no native addon for ${name}; build it with \`node scripts/build.js\` ` +
      `(cargo is needed) or install the package for your platform. Tried:\n  ${tried.join('\n  ')}`,
  );
}

module.exports = load();
