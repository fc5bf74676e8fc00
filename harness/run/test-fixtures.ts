// Answers of a conformant control API (docs/contract/control-api/), for the
// unit tests that play an implementation with nock; and how those tests read
// the configuration error a bad answer must produce.
import assert from 'node:assert/strict';
import { ConfigurationError } from '../target/errors.js';

/** The lines of the ConfigurationError `attempt` rejects with; fails the test if it succeeds or throws anything else. */
export async function configurationProblem(attempt: Promise<unknown>, succeeded: string): Promise<string> {
  try {
    await attempt;
  } catch (e) {
    assert.ok(e instanceof ConfigurationError, String(e));
    return e.lines().join('\n');
  }
  return assert.fail(succeeded);
}

export const CAPABILITIES = {
  control_api_version: 'conformance/v1',
  protocol_version: 'teleport.join.v1',
  implementation: { name: 'fake', version: '1.2.3' },
  join_methods: ['bound_keypair'],
  roles: ['Bot'],
  recovery_modes: ['standard'],
  onboarding: ['registration_secret'],
  rotation: false,
  clock_control: true,
  signature_algorithm_suites: ['balanced-v1'],
  signature_algorithm_suite: 'balanced-v1',
  token_stores: ['memory'],
  limits: { max_message_bytes: 65536, stream_timeout_ms: 60000, max_certificate_ttl_ms: 86400000, default_certificate_ttl_ms: 3600000 },
  features: ['audit-events'],
};

export const CLUSTER = {
  cluster_name: 'fake.test',
  signature_algorithm_suite: 'balanced-v1',
  join_address: '127.0.0.1:3025',
  host_ca_certificates: ['-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----'],
  user_ca_certificates: ['-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----'],
  bound_keypair_ca_keys: [{ kty: 'OKP', kid: 'k', alg: 'EdDSA' }],
};
