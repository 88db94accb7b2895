// What the functions accept: NemoClaw's coercion for outputs, bytes kept as bytes, and
// options checked with errors that name the option.
'use strict';

// Bytes as a Buffer without a copy; null for anything else.
function bytes(value) {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return null;
}

// NemoClaw's `String(output || "")`: any falsy value is the empty output, anything else
// its string (bytes stay bytes: invalid UTF-8 is the engine's to read). A value whose
// conversion throws is the empty output, never an exception.
function nemoclawText(output) {
  try {
    const raw = bytes(output);
    if (raw) return raw;
    if (!output) return '';
    return typeof output === 'string' ? output : String(output);
  } catch {
    // A detached buffer, a revoked Proxy: nothing can be read from it.
    return '';
  }
}

// An output for the full surface: the same coercion.
const bytesOrText = nemoclawText;

// A chunk for the streaming classifier, as a Buffer.
function chunkOf(chunk) {
  const read = nemoclawText(chunk ?? '');
  return typeof read === 'string' ? Buffer.from(read, 'utf8') : read;
}

// An integer the engine takes as it is (a 32-bit one: anything larger would wrap).
function int32(v) {
  return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
}

// A value's string as NemoClaw's String() gives it; the empty string when that throws.
function text(value) {
  try {
    return String(value);
  } catch {
    return '';
  }
}

const CHECKS = {
  string: (v) => typeof v === 'string',
  integer: int32,
  boolean: (v) => typeof v === 'boolean',
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  'string[]': (v) => Array.isArray(v) && v.every((w) => typeof w === 'string'),
};

const SAID = { integer: 'an integer (32-bit)', object: 'an object', 'string[]': 'an array of strings' };

// An object with no prototype: nothing set on Object.prototype can be read as an option.
function own(values) {
  return Object.assign(Object.create(null), values);
}

// `options` with only the keys `spec` names, each of its type (a nested spec for an
// object); undefined and null values left out. A mistake is a TypeError that names the
// option.
function checked(where, options, spec) {
  if (options === undefined || options === null) return own({});
  if (!CHECKS.object(options)) throw new TypeError(`${where}: options must be an object`);
  const out = own({});
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(spec, key)) {
      throw new TypeError(`${where}: unknown option '${key}' (expected ${Object.keys(spec).join(', ')})`);
    }
    if (value === undefined || value === null) continue;
    const type = typeof spec[key] === 'object' ? 'object' : spec[key];
    if (!CHECKS[type](value)) {
      throw new TypeError(`${where}: option '${key}' must be ${SAID[type] ?? `a ${type}`}`);
    }
    out[key] = type === 'object' ? checked(`${where}: ${key}`, value, spec[key]) : value;
  }
  return out;
}

module.exports = { bytesOrText, chunkOf, checked, int32, nemoclawText, own, text };
