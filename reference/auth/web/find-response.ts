// The answer of GET /webapi/find: Teleport's PingResponse
// (api/client/webclient/webclient.go), as much of it as a bot needs and in
// Teleport's field names. Clients such as `tbot keypair create` read
// `auth.signature_algorithm_suite` from it to pick the key type.
//
// Choices (Teleport's proxy has far more to say; a reference auth server has
// no proxy): `auth.type` is "local" with no second factor; the suite is
// written as its string name ("balanced-v1"), the form Teleport's JSON uses;
// `proxy` names only the web listener, with TLS routing off, because joins go
// to the join service's own address (GET cluster's join_address).
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';

/** The Teleport release whose behaviour the reference server follows (agents joining: 18.7.6+/18.8.0). */
export const EMULATED_TELEPORT_VERSION = '18.8.0';

export interface FindResponseInput {
  clusterName: string;
  suite: SignatureAlgorithmSuite;
  /** host:port of the web listener itself. */
  webAddress: string;
  teleportVersion?: string;
}

export function findResponse(input: FindResponseInput): Record<string, unknown> {
  const version = input.teleportVersion ?? EMULATED_TELEPORT_VERSION;
  return {
    auth: {
      type: 'local',
      second_factor: 'off',
      local: { name: '' },
      private_key_policy: 'none',
      piv_slot: '',
      piv_pin_cache_duration: 0,
      device_trust: {},
      has_motd: false,
      default_session_ttl: '12h0m0s',
      signature_algorithm_suite: input.suite,
    },
    proxy: {
      kube: {},
      ssh: { web_listen_addr: input.webAddress, public_addr: input.webAddress },
      db: {},
      tls_routing_enabled: false,
    },
    server_version: version,
    min_client_version: minClientVersion(version),
    auto_update: { tools_version: '', tools_auto_update: false, agent_version: '', agent_auto_update: false, agent_update_jitter_seconds: 0 },
    cluster_name: input.clusterName,
    automatic_upgrades: false,
    edition: 'oss',
    fips: false,
  };
}

/** Teleport supports clients one major version back: "<major-1>.0.0-aa". */
function minClientVersion(version: string): string {
  const major = Number(version.split('.')[0]);
  return Number.isInteger(major) && major > 0 ? `${major - 1}.0.0-aa` : '0.0.0';
}
