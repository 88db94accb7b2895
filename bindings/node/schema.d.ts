// The JSON objects sandbox-triage returns, generated from schemas/plan.schema.json by
// scripts/types.js: do not edit by hand.

/** `sandbox-triage plan --format json`. */
export interface PlanOutput {
  /** The diagnosis. */
  diagnosis: DiagnosisReport;
  /** Its recovery plan. */
  plan: PlanReport;
  /** The schema version. */
  schema_version: number;
  /** Where a supervised run (`run`) spent its time; absent for a captured log. */
  timeline?: Timeline | null;
}

/** Another route. */
export interface AlternativeReport {
  /** When it works. */
  conditions: Array<string>;
  /** Its steps. */
  steps: Array<StepReport>;
  /** What the route is. */
  title: string;
}

/** How a step may be run. */
export type Applicability = "probe" | "safe" | "confirm" | "destructive" | "manual";

/** The line of a failed build step's own output that says why it failed: the first
 * error the step's tool printed, never a later consequence or a warning. */
export interface Cause {
  /** What such a line usually means, when its rule says (never beyond the evidence). */
  hint?: string | null;
  /** The line's 1-based number in the input. */
  line: number;
  /** The line's text (cleaned, masked, clipped). */
  text: string;
}

/** A probe and its expectation. */
export interface CheckReport {
  /** The probe's words. */
  argv: Array<string>;
  /** What its output must show, for people. */
  expect: string;
  /** When it holds, for programs: `{"kind": "succeeds"}` (exit 0), or
   * `{"kind": "prints-line", "line": …}` (exit 0 and a line exactly that). */
  holds: Holds;
  /** What its output shows when it does not hold, first match first. */
  readings: Array<ReadingReport>;
}

/** What the failed create asked for, NemoClaw-style, without anything secret or
 * host-specific and never the runtime environment. */
export interface CreateContext {
  /** Whether it asked for a GPU. */
  gpu: string;
  /** Whether a policy was attached. */
  policy: string;
  /** The providers it attached. */
  providers: Array<string>;
  /** CPU and memory, when given. */
  resources?: string | null;
  /** Always `omitted`: the runtime environment is never echoed. */
  runtime_environment: string;
  /** What it built or pulled. */
  source: string;
}

/** The diagnosis as programs read it (`classify --format json`, and `"diagnosis"` in a
 * plan): the contract of [`SCHEMA_VERSION`]. */
export interface DiagnosisReport {
  /** The engine that built the image, when the builder's wording shows it. */
  build_engine?: Engine | null;
  /** The image the create built. */
  built_image_ref?: string | null;
  /** Present, and true, only when a user's rules (`--rules DIR`) took part in the
   * answer: the tool carries out nothing for it. */
  by_users_rules: boolean;
  /** For a failed build step: the line of its output that says why, and what such a
   * line usually means. */
  cause?: Cause | null;
  /** For a failed build step: where its instruction is in the Dockerfile (`line` is
   * null until placed: the builder's frame, or the file read from disk). */
  dockerfile?: DockerfileSpot | null;
  /** The container engine the wording shows. */
  engine?: Engine | null;
  /** Which OpenShell releases the output comes from: `tar-upload` (0.0.36 and older)
   * or `package-managed` (0.0.37 and newer); null when neither the version nor the
   * wording shows it. */
  era?: Era | null;
  /** The lines that prove the answer. */
  evidence: Array<Evidence>;
  /** What the kind means, for people. */
  explanation: string;
  /** The last `[progress] Exported N MiB`. */
  exported_mib?: number | null;
  /** The build step that failed. */
  failed_step?: FailedStep | null;
  /** The gateway's name. */
  gateway?: string | null;
  /** The failure kind: the catalogue's, or the id of a kind of the user's own rules
   * (`--rules DIR`), which `user_kind` then describes. */
  kind: ReportedKind;
  /** The phase the failure is attributed to. */
  phase?: Phase | null;
  /** The sandbox's last reported status, masked. */
  reported_status?: string | null;
  /** Provider validation only. */
  retry?: Retry | null;
  /** The id of the rule that decided the kind. */
  rule?: string | null;
  /** The sandbox's name, when the output shows it was created. */
  sandbox?: string | null;
  /** The image the gateway was to run the sandbox from, when the output names it. */
  sandbox_image?: string | null;
  /** Whether that image is one a create built locally (`openshell/sandbox-from:<ts>`). */
  sandbox_image_local: boolean;
  /** [`SCHEMA_VERSION`]. */
  schema_version: number;
  /** Which command's output was classified. */
  stage: Stage;
  /** The limit that ran out, in seconds. */
  timeout_secs?: number | null;
  /** NemoClaw's flag: an upload marker was seen. */
  uploaded_to_gateway: boolean;
  /** Present only for a kind of the user's own rules: its id, title and fix. */
  user_kind?: UserKind | null;
}

/** The failed instruction's place in its Dockerfile. */
export interface DockerfileSpot {
  /** The instruction's last line, for one continued over several lines. */
  end_line?: number | null;
  /** The command of a `&&` chain the output shows failed, when it shows one. */
  failed_command?: string | null;
  /** The lines to show: the instruction, and the builder's context lines. */
  frame: Array<FrameLine>;
  /** The failed instruction as the build output shows it, masked. */
  instruction?: string | null;
  /** The instruction's first line (null when it could not be placed). */
  line?: number | null;
  /** Why the instruction is not placed: the file on disk no longer matches the log,
   * or the log does not say which of several equal instructions failed. */
  note?: string | null;
  /** The Dockerfile, as the builder, OpenShell or the operator named it. */
  path?: string | null;
  /** Who placed it. */
  placed_by?: PlacedBy | null;
}

export type Engine = "docker" | "podman";

export type Era = "tar-upload" | "package-managed";

/** One line that proves the answer, with its 1-based number in the input. The text is
 * cleaned (no terminal escapes), has its secrets masked, and is clipped. */
export interface Evidence {
  /** The line's 1-based number in the input. */
  line: number;
  /** The line's text. */
  text: string;
}

/** The build step that failed. */
export interface FailedStep {
  /** The command the step ran, masked. */
  command?: string | null;
  /** The step's instruction as the builder's step header printed it (`RUN make`),
   * masked. */
  instruction?: string | null;
  /** The step's number (`Step 4/35` is 4). */
  number?: number | null;
  /** How many steps the build has. */
  total?: number | null;
}

/** One numbered line of a Dockerfile as shown around the failed instruction. */
export interface FrameLine {
  /** Whether the line belongs to the failed instruction. */
  failed: boolean;
  /** The line's 1-based number in the Dockerfile. */
  line: number;
  /** The line's text, masked. */
  text: string;
  /** The columns (0-based, in characters, end exclusive) of the command of a `&&`
   * chain the output shows failed, when it is on this line. */
  underline?: Array<unknown> | null;
}

/** When a probe holds: what a script or an executor checks, not only shows. The words
 * it looks for may hold placeholders (the built image when the output does not name
 * it): they are filled like the probe's own. */
export type Holds = ({
  kind: "succeeds";
}) | ({
  kind: "prints-line";
  /** The line. */
  line: string;
}) | ({
  /** The first column. */
  first: string;
  kind: "prints-row";
  /** The last column. */
  last: string;
}) | ({
  /** The first column no row may have. */
  first: string;
  kind: "lacks-row";
});

export type Kind = "none" | "unknown" | "image_transfer_timeout" | "image_transfer_reset" | "image_upload_container_missing" | "image_upload_failed" | "image_export_oom_killed" | "tls_cert_mismatch" | "gpu_cdi_injection_failed" | "plugin_install_network_denied" | "build_step_network_failed" | "build_step_failed" | "build_base_image_pull_failed" | "disk_full" | "platform_mismatch" | "sandbox_create_incomplete" | "interrupted" | "gateway_unreachable" | "image_not_in_gateway_store" | "sandbox_image_pull_failed" | "invalid_source" | "sandbox_already_exists" | "provisioning_timeout" | "build_stalled" | "image_import_failed" | "docker_unreachable" | "gateway_auth_failed" | "gateway_rejected_create" | "sandbox_image_unsuitable" | "database_migration_incompatible" | "transport" | "credential" | "model" | "endpoint";

export type Phase = "build" | "export" | "upload" | "import" | "create" | "ready" | "post-ready";

/** One phase: when it started and how long it lasted. */
export interface PhaseSpan {
  /** The phase. */
  phase: Phase;
  /** Seconds it lasted (to the next phase, or to the end). */
  secs: number;
  /** Seconds from the start of the command. */
  started_secs: number;
}

/** Who placed the failed instruction in the Dockerfile. */
export type PlacedBy = "builder" | "file";

/** A value the operator must supply, or the create carried. */
export interface PlaceholderReport {
  /** Whether the create's own argv carried it (`recover` and `run --recover` use that
   * value; it is never printed). */
  carried: boolean;
  /** What the value must be. */
  kind: ValueKind;
  /** Its name, as commands show it (`<NAME>`). */
  name: string;
  /** Why it is not printed. */
  reason: string;
  /** How it may be shown. */
  sensitivity: Sensitivity;
  /** The variable a rendered command reads it from (`SANDBOX_TRIAGE_<NAME>`). */
  variable: string;
}

/** The plan as programs read it. */
export interface PlanReport {
  /** Other routes. */
  alternatives: Array<AlternativeReport>;
  /** What the failed create asked for. */
  context?: CreateContext | null;
  /** The recovery in one sentence. */
  headline: string;
  /** What else the operator should know. */
  notes: Array<string>;
  /** The values the operator must supply. */
  placeholders: Array<PlaceholderReport>;
  /** The steps, in order. */
  steps: Array<StepReport>;
}

/** What a failed check shows about the machine, and the way on. */
export interface ReadingReport {
  /** What else to know or do, or null. */
  advice?: string | null;
  /** The next command's words (placeholders as `<NAME>`), or null. */
  next?: Array<string> | null;
  /** What in the check's output shows it. */
  sign: Sign;
  /** The machine's state, in one sentence. */
  state: string;
}

/** A diagnosis's kind as programs read it: one of the catalogue's, or a user's own id.
 * Without `--rules DIR` naming kinds of its own, it is always the catalogue's. */
export type ReportedKind = Kind | UserKindId;

export type Retry = "retry" | "credential" | "model" | "selection";

/** How a value may be shown. */
export type Sensitivity = "public" | "host-specific" | "secret";

/** What in a probe's output shows a state. */
export type Sign = ({
  /** The words, each said a different way by another engine or release. */
  any: Array<string>;
  kind: "says";
}) | ({
  kind: "prints-line";
  /** The line. */
  line: string;
}) | ({
  /** The first column. */
  first: string;
  kind: "row";
  /** The last column. */
  last: string;
}) | ({
  kind: "not-installed";
}) | ({
  kind: "fails";
});

export type Stage = "sandbox-create" | "gateway-start" | "provider-validation";

/** A step as programs read it. */
export interface StepReport {
  /** How it may be run. */
  applicability: Applicability;
  /** The command's words (placeholders as `<NAME>`), or null for a pipeline or advice. */
  argv?: Array<string> | null;
  /** Why only a person may say yes to it (`--yes` does not), or null. */
  in_person?: string | null;
  /** What else to know. */
  note?: string | null;
  /** The commands of a pipeline, or null. */
  pipeline?: Array<Array<string>> | null;
  /** What must hold after it ran. */
  post?: CheckReport | null;
  /** What must hold before it runs. */
  pre?: CheckReport | null;
  /** What it is for. */
  purpose: string;
  /** The command quoted for a POSIX shell, as the human and sh renderings show it. */
  shell?: string | null;
  /** When this holds, the step's work is already done: it is skipped. */
  skip_if?: CheckReport | null;
  /** The command that puts back what the step changed, run when a later step fails or
   * the run is stopped (placeholders as `<NAME>`), or null. */
  undo?: Array<string> | null;
  /** What shows there is something to put back, or null. */
  undo_if?: CheckReport | null;
  /** What must hold for putting back to be safe, or null. */
  undo_safe?: CheckReport | null;
}

/** One build step: the step as the builder printed it, and how long it lasted. */
export interface StepSpan {
  /** Seconds it lasted (to the next step or phase, or to the end). */
  secs: number;
  /** Seconds from the start of the command. */
  started_secs: number;
  /** The step (`[2/7] RUN apt-get update …`), secrets masked. */
  step: string;
}

/** How long a create spent in each phase it reached, and its slowest build steps. */
export interface Timeline {
  /** Seconds before the first phase marker (the command starting up, its own checks). */
  before_first_phase_secs: number;
  /** Each phase reached, in the order reached. */
  phases: Array<PhaseSpan>;
  /** The build's slowest steps, slowest first (at most [`SLOWEST_STEPS`]). */
  slowest_steps: Array<StepSpan>;
  /** Seconds from the start of the command to its end. */
  total_secs: number;
}

/** A user's kind, checked, its title and fix masked. */
export interface UserKind {
  /** What a person does about it (shown, never run). */
  fix: string;
  /** The id (lowercase letters, digits and `_`), never one of the catalogue's. */
  id: string;
  /** One line: what failed. */
  title: string;
}

/** A kind of the user's own rules (`--rules DIR`): `user_kind` says what it is. */
export type UserKindId = string;

/** What a placeholder's value must be, checked before any command uses it: a value
 * stands for a flag's argument and is validated exactly as that argument would be. */
export type ValueKind = "name" | "image" | "file" | "directory" | "path" | "engine-address" | "endpoint" | "ssh-host" | "text";
