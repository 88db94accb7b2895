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
  const raw = bytes(output);
  if (raw) return raw;
  if (!output) return '';
  if (typeof output === 'string') return output;
  try {
    return String(output);
  } catch {
    return '';
  }
}

// An output for the full surface: the same coercion.
const bytesOrText = nemoclawText;

// A chunk for the streaming classifier, as a Buffer.
function chunkOf(chunk) {
  const raw = bytes(chunk);
  if (raw) return raw;
  return Buffer.from(typeof chunk === 'string' ? chunk : String(chunk ?? ''), 'utf8');
}

const CHECKS = {
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  'string[]': (v) => Array.isArray(v) && v.every((w) => typeof w === 'string'),
};

// `options` with only the keys `spec` names, each of its type; undefined and null
// values left out. A mistake is a TypeError that names the option.
function checked(where, options, spec) {
  if (options === undefined || options === null) return {};
  if (!CHECKS.object(options)) throw new TypeError(`${where}: options must be an object`);
  const out = {};
  for (const [key, value] of Object.entries(options)) {
    if (!(key in spec)) {
      throw new TypeError(`${where}: unknown option '${key}' (expected ${Object.keys(spec).join(', ')})`);
    }
    if (value === undefined || value === null) continue;
    if (!CHECKS[spec[key]](value)) {
      throw new TypeError(`${where}: option '${key}' must be ${spec[key] === 'integer' ? 'an integer' : `a ${spec[key]}`}`);
    }
    out[key] = value;
  }
  return out;
}

module.exports = { bytesOrText, chunkOf, checked, nemoclawText };
