// NemoClaw's functions, by its names and shapes, answered by the engine: a NemoClaw
// module imports these in place of its own `validation` and `gateway-start-failure`
// exports. Inputs are coerced as NemoClaw coerces them; the kinds are the engine's (a
// superset of NemoClaw's, with the same ids).
'use strict';

const { int32, nemoclawText, own, text } = require('./inputs.js');

// Node's names for the hosts the plans know; any other is this machine.
const PLATFORMS = new Set(['linux', 'darwin', 'win32']);
const ARCHES = new Set(['x64', 'arm64']);

module.exports = (native, read) => {
  // NemoClaw classifies only what failed, without its status.
  function report(output, stage) {
    return JSON.parse(read(nemoclawText(output), own({ stage, failed: true })).json());
  }

  /** `{ kind, uploadedToGateway }` for a failed `openshell sandbox create`'s output. */
  function classifySandboxCreateFailure(output = '') {
    const r = report(output, 'sandbox-create');
    return { kind: r.kind, uploadedToGateway: r.uploaded_to_gateway };
  }

  /** The image the create built, or null. */
  function extractBuiltImageRef(output = '') {
    return report(output, 'sandbox-create').built_image_ref ?? null;
  }

  /** `{ kind }` for a failed `openshell gateway start`'s output. */
  function classifyGatewayStartFailure(output = '') {
    return { kind: report(output, 'gateway-start').kind };
  }

  /**
   * `{ kind, retry }` for a provider validation. As in NemoClaw: defaults apply to
   * undefined fields only (a null message is "null"); a status that is not a number is
   * no status; any truthy curl status is curl's failure.
   */
  function classifyValidationFailure(failure) {
    const { httpStatus = 0, curlStatus = 0, message = '' } = failure ?? {};
    // A number no HTTP status equals is none (NemoClaw compares with ===).
    const http = Number.isInteger(httpStatus) && httpStatus > 0 && httpStatus < 1000 ? httpStatus : undefined;
    let curl;
    if (curlStatus) curl = int32(curlStatus) ? curlStatus : 1;
    return native.classifyValidation(http, curl, text(message));
  }

  /** `classifyValidationFailure({ message })`. */
  function classifyApplyFailure(message = '') {
    return classifyValidationFailure({ message });
  }

  /**
   * NemoClaw's create command (`createArgs`: its flags alone) with `--from` swapped
   * for `registryRef`, every word quoted for a POSIX shell; the temporary policy file,
   * any secret and the runtime environment stand as `"${SANDBOX_TRIAGE_<NAME>?}"`, which
   * a shell refuses to run until set (replace the runtime environment's word with its
   * NAME=value assignments).
   */
  function reconstructImageRefCreateCommand(createArgs, registryRef) {
    return native.reconstructImageRefCreateCommand(words(createArgs) ?? [], text(registryRef ?? ''));
  }

  // NemoClaw's createArgs as words: an element that is null or undefined (or a hole) is
  // the empty word, as Array.join prints it; anything else its string.
  function words(createArgs) {
    return Array.isArray(createArgs) ? Array.from(createArgs, (a) => (a === null || a === undefined ? '' : text(a))) : undefined;
  }

  function createContextOf(context) {
    if (context === null || typeof context !== 'object') return undefined;
    const value = (v) => (v === null || v === undefined ? undefined : text(v));
    return own({
      sourceReference: value(context.sourceReference),
      policyAttached: Boolean(context.policyAttached),
      providers: Array.isArray(context.providers) ? Array.from(context.providers, (p) => text(p)) : [],
      gpuRequested: Boolean(context.gpuRequested),
      gpuDevice: value(context.gpuDevice),
      cpu: value(context.cpu),
      memory: value(context.memory),
    });
  }

  /**
   * Prints the recovery for a failed create on standard error, NemoClaw-style (every
   * line indented two spaces): the engine's diagnosis, its evidence and its plan, for
   * this host (or `platform`/`arch`) and NemoClaw's command name.
   */
  function printSandboxCreateRecoveryHints(output, options = {}) {
    const { platform = process.platform, arch = process.arch, createArgs, createContext } = options ?? {};
    const asked = own({
      platform: PLATFORMS.has(platform) ? platform : undefined,
      arch: ARCHES.has(arch) ? arch : undefined,
      createArgs: words(createArgs),
      createContext: createContextOf(createContext),
    });
    let printed;
    try {
      printed = native.nemoclawHints(nemoclawText(output), asked);
    } catch (error) {
      // It runs on a failure path: flags it cannot read never hide the failure.
      printed = native.nemoclawHints(nemoclawText(output), own({ ...asked, createArgs: undefined }));
      printed += `  (the create's flags were left out: ${error.message})\n`;
    }
    for (const line of printed.split('\n').slice(0, -1)) console.error(line);
  }

  return {
    classifySandboxCreateFailure,
    extractBuiltImageRef,
    classifyGatewayStartFailure,
    classifyValidationFailure,
    classifyApplyFailure,
    reconstructImageRefCreateCommand,
    printSandboxCreateRecoveryHints,
  };
};
