// sandbox-triage for Node.js: NemoClaw's classifier functions answered by the
// sandbox-triage engine, and the engine's whole surface.

import { Writable } from 'node:stream';
import type { DiagnosisReport, Kind, PlanOutput, Retry, Stage } from './schema';

export * from './schema';

// ---------------------------------------------------------------------------------
// NemoClaw's names and shapes. Outputs are coerced as NemoClaw coerces them: any falsy
// value is the empty output, anything else its String(); a Buffer or Uint8Array is read
// as bytes. Kinds are the engine's: NemoClaw's ids, and more.

/** The kinds NemoClaw's own classifier returns for a create. */
export type NemoClawSandboxCreateKind =
  | 'image_transfer_timeout'
  | 'image_transfer_reset'
  | 'image_upload_container_missing'
  | 'sandbox_create_incomplete'
  | 'tls_cert_mismatch'
  | 'gpu_cdi_injection_failed'
  | 'plugin_install_network_denied'
  | 'unknown';

export interface SandboxCreateFailure {
  /** NemoClaw's kinds, and the engine's finer ones (`build_step_network_failed`, …). */
  kind: Kind;
  /** An upload marker was seen (always true for `sandbox_create_incomplete` up to 0.0.36). */
  uploadedToGateway: boolean;
}

/** The answer for a failed `openshell sandbox create`'s output (read as failed, status unknown). */
export function classifySandboxCreateFailure(output?: unknown): SandboxCreateFailure;

/** The image the create built (OpenShell's own `Built image` line, the last valid one), or null. */
export function extractBuiltImageRef(output?: unknown): string | null;

/** The answer for a failed `openshell gateway start`'s output. */
export function classifyGatewayStartFailure(output?: unknown): { kind: Kind };

export interface ValidationFailure {
  httpStatus?: number | null;
  curlStatus?: number | null;
  message?: unknown;
}

export interface ValidationClassification {
  kind: 'transport' | 'credential' | 'model' | 'endpoint' | 'unknown';
  retry: Retry;
}

/** A provider validation's kind and what to do next. */
export function classifyValidationFailure(failure?: ValidationFailure | null): ValidationClassification;

/** `classifyValidationFailure({ message })`. */
export function classifyApplyFailure(message?: unknown): ValidationClassification;

/**
 * NemoClaw's create command (its flags alone) with `--from` swapped for `registryRef`,
 * every word quoted for a POSIX shell. A temporary policy file, a secret and the runtime
 * environment stand as `"${SANDBOX_TRIAGE_<NAME>?}"`, which a shell refuses to run until
 * set; replace the runtime environment's word with its NAME=value assignments.
 * Throws only for a `--name` or `--gateway` value that is not a name.
 */
export function reconstructImageRefCreateCommand(createArgs: readonly string[] | null | undefined, registryRef: string): string;

/** NemoClaw's create context: what the create asked for, without its environment. */
export interface SandboxCreateRecoveryContext {
  sourceReference?: string | null;
  policyAttached?: boolean;
  providers?: readonly string[];
  gpuRequested?: boolean;
  gpuDevice?: string | null;
  cpu?: string | number | null;
  memory?: string | null;
}

export interface RecoveryHintOptions {
  /** Node's `process.platform` (the default). */
  platform?: string;
  /** Node's `process.arch` (the default). */
  arch?: string;
  /** The create's flags, as NemoClaw passes them. */
  createArgs?: readonly string[];
  /** What the create asked for, when its flags are not passed. */
  createContext?: SandboxCreateRecoveryContext;
}

/**
 * Prints the recovery for a failed create on standard error, every line indented two
 * spaces: the diagnosis, the lines that prove it, and the plan for this host, in
 * NemoClaw's command name (`NEMOCLAW_INVOKED_AS`).
 */
export function printSandboxCreateRecoveryHints(output: unknown, options?: RecoveryHintOptions): void;

// ---------------------------------------------------------------------------------
// The full surface.

export interface DiagnoseOptions {
  /** Which command printed the output; told from the output when absent. */
  stage?: Stage;
  /** The command's exit status (0: it succeeded, answer `none`). */
  exitStatus?: number;
  /** The command failed, its status unknown. */
  failed?: boolean;
  /** The OpenShell release that printed it (`0.0.36`, `v0.0.111`). */
  openshellVersion?: string;
  /** Provider validation: the HTTP status beside the message. */
  httpStatus?: number;
  /** Provider validation: curl's exit status beside the message. */
  curlStatus?: number;
  /** The Dockerfile the build used, to place its failed step (default: the one the output names, when it is on this machine). */
  dockerfile?: string;
}

/** What `sandbox-triage classify --format json` prints. The package reads with the
 * built-in rules alone, so its kind is always one of the catalogue's (never a kind of
 * a user's own rules, which only the command's `--rules DIR` can add). */
export type Diagnosis = Omit<DiagnosisReport, 'kind' | 'user_kind'> & { kind: Kind };

/** Classifies a whole output (a string or bytes), as `sandbox-triage classify` does. */
export function diagnose(output: unknown, options?: DiagnoseOptions): Diagnosis;

export interface LookOptions {
  /** ANSI colour (default false). */
  color?: boolean;
  /** Prose is wrapped to this many columns (20 to 100; default 80). */
  width?: number;
}

export interface PlanOptions extends DiagnoseOptions {
  /** The host's OS: `linux`, `darwin`/`macos`, `win32`/`windows` (default: this machine). */
  platform?: string;
  /** The host's CPU: `x64`/`x86_64`, `arm64`/`aarch64` (default: this machine). */
  arch?: string;
  /** `docker` or `podman` (default: what the output shows). */
  engine?: 'docker' | 'podman';
  /** `openshell` or `nemoclaw` (default: NemoClaw when the create runs `nemoclaw-start`). */
  frontend?: 'openshell' | 'nemoclaw';
  /** The failed create's whole command line, so that rebuilt commands keep its flags. */
  argv?: readonly string[];
  /** `json` (default), `human` or `sh`. */
  format?: 'json' | 'human' | 'sh';
  /** For `human`. */
  look?: LookOptions;
}

/** The recovery plan, as `sandbox-triage plan --format json` prints it. */
export function plan(diagnosis: Diagnosis | unknown, options?: PlanOptions & { format?: 'json' }): PlanOutput;
/** The recovery plan for people (`human`) or as a POSIX shell script (`sh`). */
export function plan(diagnosis: Diagnosis | unknown, options: PlanOptions & { format: 'human' | 'sh' }): string;
/** The plan, in the format the options name. */
export function plan(diagnosis: Diagnosis | unknown, options?: PlanOptions): PlanOutput | string;

/** `text` with every token, key and credentialed URL masked. */
export function redact(text: unknown): string;

/**
 * Classifies an output as a child process writes it, off the event loop:
 * `child.stderr.on('data', (c) => classifier.push(c))`, or pipe into it; then
 * `await classifier.finish(code, signal)`. Memory stays bounded when the writer waits
 * for 'drain' whenever `push` returns false (as a pipe does).
 */
export class Classifier extends Writable {
  constructor(options?: DiagnoseOptions);
  /** Takes the next chunk (a copy); false when the writer should wait for 'drain'. */
  push(chunk: Buffer | Uint8Array | string): boolean;
  /** The answer once the output has ended: a child's `close` code and signal. */
  finish(exitStatus?: number | null, signal?: NodeJS.Signals | null): Promise<Diagnosis>;
}
