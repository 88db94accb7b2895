// Uses the package as NemoClaw's TypeScript does, and as the full surface is used: it
// must type-check under --strict.
import {
  Classifier,
  classifyGatewayStartFailure,
  classifySandboxCreateFailure,
  classifyValidationFailure,
  diagnose,
  extractBuiltImageRef,
  type Diagnosis,
  type Kind,
  plan,
  type PlanOptions,
  type PlanOutput,
  printSandboxCreateRecoveryHints,
  reconstructImageRefCreateCommand,
  redact,
} from '../../index';

const failure = classifySandboxCreateFailure('Error: failed to upload image tar into container');
const kind: Kind = failure.kind;
const uploaded: boolean = failure.uploadedToGateway;
switch (failure.kind) {
  case 'image_upload_container_missing':
  case 'build_step_network_failed':
    break;
  default:
    break;
}
const ref: string | null = extractBuiltImageRef(undefined);
const gateway: Kind = classifyGatewayStartFailure(null).kind;
const validation = classifyValidationFailure({ httpStatus: 401, message: 'x' });
const retry: 'retry' | 'credential' | 'model' | 'selection' = validation.retry;
const command: string = reconstructImageRefCreateCommand(['--name', 'a'], 'localhost:5000/x:1');
printSandboxCreateRecoveryHints('', { platform: 'linux', arch: 'arm64', createArgs: ['--name', 'a'] });
printSandboxCreateRecoveryHints('', { createContext: { sourceReference: 'x', providers: ['nvidia'], cpu: 2 } });

const diagnosis: Diagnosis = diagnose(new Uint8Array(0), { stage: 'sandbox-create', exitStatus: 1 });
const phase: string | null | undefined = diagnosis.phase;
const step: number | null | undefined = diagnosis.failed_step?.number;
const json: PlanOutput = plan(diagnosis, { argv: ['openshell', 'sandbox', 'create'], platform: 'darwin' });
const firstStep: string = json.plan.steps[0]?.purpose ?? '';
const human: string = plan(diagnosis, { format: 'human', look: { width: 100 } });
const masked: string = redact('x');
const chosen: PlanOptions = { format: process_format() };
const either: PlanOutput | string = plan(diagnosis, chosen);
function process_format(): 'json' | 'human' | 'sh' {
  return 'sh';
}

async function stream(): Promise<Kind> {
  const classifier = new Classifier({ stage: 'gateway-start' });
  const more: boolean = classifier.push('chunk');
  const answer = await classifier.finish(1, null);
  return more ? answer.kind : 'unknown';
}

console.log(kind, uploaded, ref, gateway, retry, command, phase, step, firstStep, human, masked, either, stream);
