// NemoClaw's functions, by its names and shapes, answered by the engine: a NemoClaw
// module imports these in place of its own `validation` and `gateway-start-failure`
// exports. Inputs are coerced as NemoClaw coerces them; the kinds are the engine's (a
// superset of NemoClaw's, with the same ids).
'use strict';

const { nemoclawText } = require('./inputs.js');

// Node's names for the hosts the plans know; any other is this machine.
const PLATFORMS = new Set(['linux', 'darwin', 'win32']);
const ARCHES = new Set(['x64', 'arm64']);

module.exports = (native, read) => {
  // NemoClaw classifies only what failed, without its status.
  function report(output, stage) {
    return JSON.parse(read(nemoclawText(output), { stage, failed: true }).json());
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
    const http = Number.isInteger(httpStatus) && httpStatus > 0 ? httpStatus : undefined;
    let curl;
    if (curlStatus) curl = Number.isInteger(curlStatus) && curlStatus !== 0 ? curlStatus : 1;
    let text;
    try {
      text = String(message);
    } catch {
      text = '';
    }
    return native.classifyValidation(http, curl, text);
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
    const args = Array.isArray(createArgs) ? createArgs.map((a) => String(a)) : [];
    return native.reconstructImageRefCreateCommand(args, String(registryRef ?? ''));
  }

  function createContextOf(context) {
    if (context === null || typeof context !== 'object') return undefined;
    const text = (v) => (v === null || v === undefined ? undefined : String(v));
    return {
      sourceReference: text(context.sourceReference),
      policyAttached: Boolean(context.policyAttached),
      providers: Array.isArray(context.providers) ? context.providers.map((p) => String(p)) : [],
      gpuRequested: Boolean(context.gpuRequested),
      gpuDevice: text(context.gpuDevice),
      cpu: text(context.cpu),
      memory: text(context.memory),
    };
  }

  /**
   * Prints the recovery for a failed create on standard error, NemoClaw-style (every
   * line indented two spaces): the engine's diagnosis, its evidence and its plan, for
   * this host (or `platform`/`arch`) and NemoClaw's command name.
   */
  function printSandboxCreateRecoveryHints(output, options = {}) {
    const { platform = process.platform, arch = process.arch, createArgs, createContext } = options ?? {};
    const text = native.nemoclawHints(nemoclawText(output), {
      platform: PLATFORMS.has(platform) ? platform : undefined,
      arch: ARCHES.has(arch) ? arch : undefined,
      createArgs: Array.isArray(createArgs) ? createArgs.map((a) => String(a)) : undefined,
      createContext: createContextOf(createContext),
    });
    for (const line of text.split('\n').slice(0, -1)) console.error(line);
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
