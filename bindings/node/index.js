// sandbox-triage for Node.js: NemoClaw's classifier functions, answered by the
// sandbox-triage engine, and the engine's whole surface (diagnose, plan, redact, a
// streaming classifier). Nothing is decided here: this file coerces inputs as NemoClaw
// does, checks options, and shapes the native answers.
'use strict';

const { Writable, finished } = require('node:stream');
const { constants } = require('node:os');
const native = require('./binding.js');
const { bytesOrText, chunkOf, checked, int32, nemoclawText, own } = require('./lib/inputs.js');
const read = require('./lib/reading.js')(native);

// The native diagnosis behind an answer, so that `plan` needs no second reading.
const HANDLE = Symbol('sandbox-triage.diagnosis');

const DIAGNOSE_OPTIONS = {
  stage: 'string',
  exitStatus: 'integer',
  openshellVersion: 'string',
  httpStatus: 'integer',
  curlStatus: 'integer',
  dockerfile: 'string',
  failed: 'boolean',
};
const PLAN_OPTIONS = {
  platform: 'string',
  arch: 'string',
  engine: 'string',
  openshellVersion: 'string',
  frontend: 'string',
  argv: 'string[]',
  format: 'string',
  look: { color: 'boolean', width: 'integer' },
};

// The JSON object `classify --format json` prints, carrying its native diagnosis.
function answer(diagnosed) {
  const report = JSON.parse(diagnosed.json());
  Object.defineProperty(report, HANDLE, { value: diagnosed });
  return report;
}

/** Classifies a whole output: the object `sandbox-triage classify --format json` prints. */
function diagnose(output, options) {
  return answer(read(bytesOrText(output), checked('diagnose', options, DIAGNOSE_OPTIONS)));
}

/**
 * The recovery plan for a diagnosis (the object `diagnose` returned, or an output to
 * diagnose first with the same options): the object `plan --format json` prints, or
 * its text for `format: 'human'` or `'sh'`.
 */
function plan(diagnosis, options) {
  const all = checked('plan', options, { ...PLAN_OPTIONS, ...DIAGNOSE_OPTIONS });
  const planning = own(Object.fromEntries(Object.entries(all).filter(([key]) => Object.hasOwn(PLAN_OPTIONS, key))));
  let diagnosed = diagnosis !== null && typeof diagnosis === 'object' ? diagnosis[HANDLE] : undefined;
  if (diagnosed === undefined) {
    if (diagnosis !== null && typeof diagnosis === 'object' && !(diagnosis instanceof Uint8Array) && !(diagnosis instanceof ArrayBuffer)) {
      throw new TypeError('plan: pass the object diagnose() returned, or the output itself (a string or a Buffer)');
    }
    const reading = own(Object.fromEntries(Object.entries(all).filter(([key]) => Object.hasOwn(DIAGNOSE_OPTIONS, key))));
    diagnosed = read(bytesOrText(diagnosis), reading);
  }
  const text = native.plan(diagnosed, planning);
  return (planning.format ?? 'json') === 'json' ? JSON.parse(text) : text;
}

/** `text` with every token, key and credentialed URL masked. */
function redact(text) {
  return native.redact(String(nemoclawText(text)));
}

// How long to wait before offering a chunk again, or asking again whether the reading
// is done: the worker reads a chunk in well under this.
const AGAIN_MS = 1;

function later() {
  return new Promise((resolve) => {
    setTimeout(resolve, AGAIN_MS);
  });
}

/**
 * Classifies an output as a child process writes it: `push(chunk)` (or pipe into it),
 * then `await finish(exitStatus)`. Chunks are read on a worker thread, in order; the
 * event loop never waits for it. Memory stays bounded when the writer honours `push`'s
 * return value (or pipes).
 */
class Classifier extends Writable {
  #native;
  #error = null;

  constructor(options) {
    super({ highWaterMark: 1 << 20 });
    this.#native = new native.OutputReader(checked('Classifier', options, DIAGNOSE_OPTIONS));
    // A failure is kept for finish(), never thrown at the event loop.
    this.on('error', (error) => {
      this.#error ??= error;
    });
  }

  /** Takes the next chunk (a copy: the caller may reuse its buffer); false when the caller should wait for 'drain'. */
  push(chunk) {
    return this.write(Buffer.from(chunkOf(chunk)));
  }

  _write(chunk, _encoding, callback) {
    let taken;
    try {
      taken = this.#native.offer(chunk);
    } catch (error) {
      callback(error);
      return;
    }
    if (taken) callback();
    else later().then(() => this._write(chunk, _encoding, callback));
  }

  // Destroyed before its end (an error, destroy()): the worker stops at once. After a
  // normal end (the stream destroys itself then) the answer is still to be taken.
  _destroy(error, callback) {
    if (error || !this.writableFinished) this.#native.abort();
    callback(error);
  }

  /**
   * The answer once the output has ended: `exitStatus` is the command's (a child's
   * `close` code), `signal` the one that killed it when the code is null.
   */
  async finish(exitStatus, signal) {
    if (!this.writableEnded) this.end();
    await new Promise((resolve) => finished(this, () => resolve()));
    if (this.#error) {
      this.#native.abort();
      throw this.#error;
    }
    let status = exitStatus ?? undefined;
    if (status === undefined && typeof signal === 'string' && constants.signals[signal]) {
      status = 128 + constants.signals[signal];
    }
    if (status !== undefined && !int32(status)) {
      throw new TypeError(`finish: the exit status must be an integer (32-bit), not ${typeof status === 'number' ? status : typeof status}`);
    }
    while (!this.#native.done()) await later();
    return answer(this.#native.answer(status));
  }
}

module.exports = {
  diagnose,
  plan,
  redact,
  Classifier,
  ...require('./lib/nemoclaw.js')(native, read),
};
