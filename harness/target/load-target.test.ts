// Target files: the shipped ones load; broken ones are refused with every
// problem named by file and field, before anything is started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from './errors.js';
import { loadTarget, parseTarget } from './load-target.js';
import { PROJECT_ROOT } from './schema.js';
import { normaliseControlUrl } from './server-target.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bkp-target-'));
const file = path.join(dir, 'target.yaml');

function problemsOf(text: string): string[] {
  try {
    parseTarget(text, file);
  } catch (e) {
    assert.ok(e instanceof ConfigurationError, String(e));
    return e.lines();
  }
  return assert.fail('the target was accepted');
}

const PROCESS = `
version: 1
role: server
name: p
launch:
  mode: process
  command: [node, server.js]
  env: { CRED: "{credential}" }
  ready: { stdout_json_event: ready }
`;

test('the shipped targets load', () => {
  const inProcess = loadTarget(path.join(PROJECT_ROOT, 'targets/reference-server.in-process.yaml'));
  assert.equal(inProcess.role, 'server');
  assert.deepEqual(inProcess.role === 'server' && inProcess.launch, { mode: 'in-process' });
  assert.equal(inProcess.expectations, path.join(PROJECT_ROOT, 'expectations/reference-server.yaml'));

  const proc = loadTarget(path.join(PROJECT_ROOT, 'targets/reference-server.process.yaml'));
  assert.ok(proc.role === 'server' && proc.launch.mode === 'process');
  assert.equal(proc.launch.workingDirectory, PROJECT_ROOT.replace(/\/$/, ''));
  assert.deepEqual(proc.launch.ready, { kind: 'stdout-json-event', event: 'ready', timeoutMs: 30_000 });
  assert.deepEqual(proc.launch.env, { BKP_CONTROL_CREDENTIAL: '{credential}' });

  const remote = loadTarget(path.join(PROJECT_ROOT, 'targets/reference-server.remote.example.yaml'));
  assert.ok(remote.role === 'server' && remote.launch.mode === 'remote');
  assert.deepEqual(remote.controlApi, { url: 'http://127.0.0.1:3080/conformance/v1/', credential: { env: 'BKP_CONTROL_CREDENTIAL' } });
  assert.deepEqual(remote.claimedCapabilities, ['audit-events', 'bot-instances', 'clock-control']);

  const bot = loadTarget(path.join(PROJECT_ROOT, 'targets/reference-bot.yaml'));
  assert.ok(bot.role === 'bot');
  assert.equal(bot.bot.name, 'reference-bot');
  assert.equal(bot.expectations, path.join(PROJECT_ROOT, 'expectations/reference-bot.yaml'));
});

test('the deliberately broken target names every field at fault', () => {
  const lines = (() => {
    try {
      loadTarget(path.join(PROJECT_ROOT, 'harness/run/testdata/broken-target.yaml'));
    } catch (e) {
      return (e as ConfigurationError).lines();
    }
    return [];
  })();
  assert.deepEqual(lines.map((l) => l.replace(/^configuration error: .*broken-target\.yaml: /, '')), [
    'launch.command: missing required field',
    'launch.restart_policy: unknown field',
    'launch.ready.timeout: must match pattern "^([0-9]+(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$"',
  ]);
});

test('fields of another role or launch mode are refused, naming the setting', () => {
  assert.match(problemsOf(`${PROCESS}bot: { capabilities: [], operations: {} }\n`).join('\n'), /bot: not allowed with role "server"/);
  assert.match(problemsOf(PROCESS.replace('mode: process', 'mode: remote')).join('\n'), /launch\.command: not allowed with launch\.mode "remote"/);
  assert.match(problemsOf('version: 1\nrole: bot\nname: b\nlaunch: { mode: in-process }\n').join('\n'), /: bot: missing required field[\s\S]*launch: not allowed with role "bot"/);
  assert.match(problemsOf(PROCESS.replace('role: server', 'role: proxy')).join('\n'), /role: must be one of "server", "bot"/);
  assert.match(problemsOf('version: 1\nrole: server\nname: s\n').join('\n'), /target\.yaml: launch: missing required field/);
});

test('rules beyond the schema: one readiness probe, a control API address, one credential source, known placeholders', () => {
  assert.match(problemsOf(PROCESS.replace('{ stdout_json_event: ready }', '{ stdout_json_event: ready, http: "http://127.0.0.1:1/h" }')).join('\n'), /launch\.ready: give exactly one of stdout_json_event and http/);
  assert.match(problemsOf(PROCESS.replace('{ stdout_json_event: ready }', '{ http: "http://127.0.0.1:1/h" }')).join('\n'), /control_api\.url: required with launch\.ready\.http/);
  assert.match(problemsOf(PROCESS.replace('{credential}', '{password}')).join('\n'), /launch\.env\.CRED: unknown placeholder \{password\}/);
  assert.match(problemsOf(PROCESS.replace('ready }', 'ready, timeout: 0s }')).join('\n'), /launch\.ready\.timeout: must be longer than 0/);
  const remote = 'version: 1\nrole: server\nname: r\nlaunch: { mode: remote }\n';
  assert.match(problemsOf(remote).join('\n'), /control_api\.url: required with launch\.mode remote[\s\S]*control_api: a remote target needs credential_env or credential_file/);
  assert.match(problemsOf(`${remote}control_api: { url: "http://h:1", credential_env: X, credential_file: f }\n`).join('\n'), /control_api: give credential_env or credential_file, not both/);
  assert.match(problemsOf(`${remote}control_api: { url: "http://h:1", credential_file: nope.txt }\n`).join('\n'), /control_api\.credential_file: .*nope\.txt does not exist/);
  assert.match(problemsOf(`${PROCESS}expectations: missing.yaml\n`).join('\n'), /: expectations: .*missing\.yaml does not exist/);
  assert.match(problemsOf(PROCESS.replace('mode: process', 'mode: process\n  working_directory: nowhere')).join('\n'), /launch\.working_directory: .*nowhere does not exist/);
});

test('container targets: image or build, a known wait port, a Dockerfile that exists', () => {
  const container = 'version: 1\nrole: server\nname: c\nlaunch:\n  mode: container\n  ports: { join: 3025, control: 3080 }\n';
  assert.match(problemsOf(container).join('\n'), /launch: give exactly one of image and build/);
  assert.match(problemsOf(`${container}  image: x\n  wait: { http: { port: web, path: /h } }\n`).join('\n'), /launch\.wait\.http\.port: names the web port, but launch\.ports\.web is not set/);
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  const built = parseTarget(`${container}  build: { context: ., args: { BASE_IMAGE: b } }\n`, file);
  assert.ok(built.role === 'server' && built.launch.mode === 'container');
  assert.deepEqual(built.launch.build, { context: dir, dockerfile: 'Dockerfile', args: { BASE_IMAGE: 'b' } });
  assert.deepEqual(built.launch.wait, { http: { port: 'control', path: '/conformance/v1/health' }, timeoutMs: 60_000 });
  assert.match(problemsOf(`${container}  build: { context: ., dockerfile: other.Dockerfile }\n`).join('\n'), /launch\.build\.dockerfile: .*other\.Dockerfile does not exist/);
});

test('bot targets keep their own checks (placeholders), named by field', () => {
  const bot = loadTarget(path.join(PROJECT_ROOT, 'targets/reference-bot.yaml'));
  assert.ok(bot.role === 'bot');
  const text = `version: 1\nrole: bot\nname: b\nbot:\n  capabilities: []\n  operations:\n    create_keypair: { argv: [b, "{storage}"] }\n    join_once: { argv: [b, "{tokn}"] }\n    join_with_secret: { argv: [b] }\n    join_with_secret_file: { argv: [b] }\n    start_daemon: { argv: [b] }\n`;
  const lines = problemsOf(text);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? "", /^configuration error: .*target\.yaml: bot\.operations\.join_once\.argv\[1\]: unknown placeholder \{tokn\} \(known: \{auth_addr\}/);
});

test('YAML with aliases or duplicate keys, and unreadable files, are refused', () => {
  assert.match(problemsOf(`${PROCESS}description: &d x\nexpectations: *d\n`).join('\n'), /\(file\): not valid YAML/);
  assert.match(problemsOf(`${PROCESS}name: again\n`).join('\n'), /\(file\): not valid YAML: Map keys must be unique/);
  assert.throws(() => loadTarget(path.join(dir, 'absent.yaml')), /absent\.yaml: cannot read the target file/);
});

test('control API URLs are normalised to the contract base path', () => {
  assert.equal(normaliseControlUrl('http://h:3080'), 'http://h:3080/conformance/v1/');
  assert.equal(normaliseControlUrl('http://h:3080/conformance/v1'), 'http://h:3080/conformance/v1/');
  assert.equal(normaliseControlUrl('https://h/prefix/'), 'https://h/prefix/conformance/v1/');
});
