// NemoClaw's pinned behaviour (nemoclaw-behaviour.md §a, §c, §f): each case's input,
// NemoClaw's answer, and ours where it deliberately differs (`ours`, with the id the
// package README lists it under).
'use strict';

const ID = 'sha256:' + 'a'.repeat(64);

// §a: classifySandboxCreateFailure → [kind, uploadedToGateway].
const sandboxCreate = [
  ['[progress] Uploaded to gateway\nfailed to read image export stream', ['image_transfer_timeout', true]],
  ['Created sandbox: test', ['sandbox_create_incomplete', true]],
  ['Created sandbox: test-sandbox\nError: handshake verification failed', ['tls_cert_mismatch', false]],
  ['TLS error: connection refused by proxy', ['unknown', false]],
  ['SSL error: unsupported protocol version', ['unknown', false]],
  ['TLS error later during notify', ['unknown', false]],
  ['ssl error: peer closed connection', ['unknown', false]],
  ['Error: failed to upload image tar into container', ['image_upload_container_missing', false]],
  [
    'Docker responded with status code 404: no container with name or ID "openshell-cluster-nemoclaw" found: no such container',
    ['image_upload_container_missing', false],
  ],
  ['Docker responded with status code 404: the container does not exist', ['unknown', false]],
  ['HTTP 404: model not found', ['unknown', false]],
  ['CDI spec directories configured', ['unknown', false]],
  ['CDI device injection failed: unresolvable CDI devices example.com/widget=all', ['unknown', false]],
  ['Error: CDI device injection failed: unresolvable CDI devices nvidia.com/gpu=all', ['gpu_cdi_injection_failed', false]],
  ['Created sandbox: x\nError: CDI device injection failed: unresolvable CDI devices nvidia.com/gpu=all', ['gpu_cdi_injection_failed', false]],
  ['npm install failed with ENOENT', ['unknown', false]],
  ['openclaw doctor --fix failed', ['unknown', false]],
  ['[PROGRESS]   uploaded TO gateway', ['unknown', true]],
  ["Image x is available in the local Docker daemon for gateway 'y'.", ['unknown', false]],
  ['Error:   × transport error\n  ├─▶ Connection reset by peer (os error 104)', ['image_transfer_reset', false]],
  ['Timeout error', ['image_transfer_timeout', false]],
  ['x509: certificate signed by unknown authority', ['tls_cert_mismatch', false]],
  ['', ['unknown', false]],
];

// §c: extractBuiltImageRef.
const builtImageRef = [
  ['Successfully tagged openshell/sandbox:tag1', 'openshell/sandbox:tag1'],
  ['  Built image openshell/sandbox-from-nemoclaw:abcd1234', 'openshell/sandbox-from-nemoclaw:abcd1234'],
  ['nothing relevant here', null],
  ['', null],
  [`Built image ${ID}`, null],
  [`Successfully tagged ${ID}\n  Built image real:1`, 'real:1'],
  [`Built image ${ID}\nBuilt image real:1`, null, { ours: 'real:1', id: 'built-image-after-an-image-id' }],
];

// §f: classifyGatewayStartFailure.
const gatewayStart = [
  ['  Error: Failed to create Docker client.\n  Socket not found: /var/run/docker.sock', 'docker_unreachable'],
  ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'docker_unreachable'],
  ['Failed to create Docker client', 'docker_unreachable'],
  ['the docker daemon is not running on this host', 'docker_unreachable'],
  ['client created successfully; previous Failed to create Docker client issue fixed', 'unknown'],
  [
    'Error: execution error: migration error: migration 6 was previously applied\n  is missing in the resolved migrations',
    'database_migration_incompatible',
  ],
  [
    'Error:   × execution error: migration error: migration 4 was previously applied but\n  │ has been modified',
    'database_migration_incompatible',
  ],
  ['the file containing migration 6 has been modified on disk', 'unknown'],
  ['database is locked while applying migration 6', 'unknown'],
  ['migration 6 was previously applied and is missing in the resolved migrations', 'database_migration_incompatible'],
  ['Applying HelmChart openshell\nWaiting for k3s to be ready', 'unknown'],
  ['', 'unknown'],
  [undefined, 'unknown'],
];

// §f: classifyValidationFailure → [kind, retry].
const validation = [
  [{ curlStatus: 7 }, ['transport', 'retry']],
  [{ httpStatus: 429 }, ['transport', 'retry']],
  [{ httpStatus: 502 }, ['transport', 'retry']],
  [{ httpStatus: 401 }, ['credential', 'credential']],
  [{ httpStatus: 403 }, ['credential', 'credential']],
  [{ httpStatus: 400 }, ['model', 'model']],
  [{ httpStatus: 400, message: 'API key expired. Please renew the API key.' }, ['credential', 'credential']],
  [{ httpStatus: 400, message: 'API key not valid. Please pass a valid API key.' }, ['credential', 'credential']],
  [{ httpStatus: 400, message: 'API_KEY_INVALID' }, ['credential', 'credential']],
  [{ httpStatus: 400, message: 'model xyz not found' }, ['model', 'model']],
  [{ message: 'model xyz not found' }, ['model', 'model']],
  [{ httpStatus: 404 }, ['endpoint', 'selection']],
  [{ httpStatus: 404, message: 'HTTP 404: model not found' }, ['model', 'model']],
  [{ httpStatus: 405, message: 'HTTP 405: unsupported model' }, ['model', 'model']],
  [{ message: 'Unauthorized access' }, ['credential', 'credential']],
  [{ httpStatus: 418 }, ['unknown', 'selection']],
  [undefined, ['unknown', 'selection']],
  [{ message: 'transport error: invalid peer certificate: UnknownIssuer' }, ['transport', 'retry']],
  [{ message: 'SSL certificate problem: unable to get local issuer certificate' }, ['transport', 'retry']],
  [{ message: 'TLS handshake failure' }, ['transport', 'retry']],
];

module.exports = { builtImageRef, gatewayStart, sandboxCreate, validation };
