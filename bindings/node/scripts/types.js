#!/usr/bin/env node
// Writes `schema.d.ts`, the TypeScript types of the JSON the package returns, from the
// JSON Schema the command publishes (`schemas/plan.schema.json`, `sandbox-triage
// schema`): the types cannot drift from the objects. `--check` fails when the file is
// not what the schema gives.
'use strict';

const { readFileSync, writeFileSync } = require('node:fs');
const { resolve } = require('node:path');

const SCHEMA = resolve(__dirname, '..', '..', '..', 'schemas', 'plan.schema.json');
const OUT = resolve(__dirname, '..', 'schema.d.ts');

function doc(text, indent) {
  if (!text) return '';
  const lines = text.split('\n');
  return `${indent}/** ${lines.join(`\n${indent} * `)} */\n`;
}

function typeOf(schema) {
  if (schema.$ref) return schema.$ref.replace('#/$defs/', '');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  if (schema.oneOf) return schema.oneOf.map((s) => (s.properties ? `(${typeOf(s)})` : typeOf(s))).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types
    .map((type) => {
      switch (type) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        case 'array':
          return `Array<${schema.items ? typeOf(schema.items) : 'unknown'}>`;
        case 'object':
          return schema.properties ? objectType(schema, '') : 'Record<string, unknown>';
        default:
          throw new Error(`no TypeScript type for ${JSON.stringify(schema)}`);
      }
    })
    .join(' | ');
}

function objectType(schema, indent) {
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const fields = Object.entries(schema.properties)
    .map(([name, property]) => `${doc(property.description, inner)}${inner}${name}${required.has(name) ? '' : '?'}: ${typeOf(property)};\n`)
    .join('');
  return `{\n${fields}${indent}}`;
}

function declaration(name, schema) {
  const body = schema.properties ? `export interface ${name} ${objectType(schema, '')}` : `export type ${name} = ${typeOf(schema)};`;
  return `${doc(schema.description, '')}${body}\n`;
}

function generate() {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  const parts = [
    '// The JSON objects sandbox-triage returns, generated from schemas/plan.schema.json by',
    '// scripts/types.js: do not edit by hand.\n',
    declaration(schema.title, schema),
    ...Object.entries(schema.$defs).map(([name, def]) => declaration(name, def)),
  ];
  return parts.join('\n');
}

const text = generate();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('schema.d.ts is not what schemas/plan.schema.json gives: run `node scripts/types.js`');
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}
