// The reference server's ControlPlane: the management side of the server,
// over the same store, clock and CAs the join service uses.
import { exportJWK } from 'jose';
import type { ControlPlane, Capabilities, ClusterInfo, Settings, ClockView, ScriptingControl } from './control-plane.js';
import { CONTROL_API_VERSION, PROTOCOL_VERSION } from './control-plane.js';
import type { ClusterStore } from '../store/store.js';
import type { Clock } from '../clock/clock.js';
import { VirtualClock, formatTimestamp } from '../clock/clock.js';
import type { ClusterAuthorities } from '../ca/cluster-authorities.js';
import { trustedJoinStateKeys } from '../ca/cluster-authorities.js';
import type { AuditLog } from '../audit/audit-log.js';
import { TokenAdministration } from '../tokens/token-admin.js';
import { parseLockResource } from '../locks/lock-validation.js';
import { AuditEventType } from '../audit/audit-event.js';
import { badParameter, notFound } from '../../protocol/errors.js';
import { SIGNATURE_ALGORITHM_SUITES, issueJoinState } from '../../crypto/index.js';
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';
import { createJwtSigner } from '../ca/cluster-authorities.js';
import { AUTHORITIES_RECORD, encodeAuthorities } from '../ca/authority-codec.js';
import type { MintJoinStateRequest } from './join-state-minting.js';
import type { JoinAttempts, TranscriptFilter } from '../join/join-attempts.js';
import type { ScriptedFaults } from '../scripting/scripted-faults.js';
import { scriptingControl } from './scripting-control.js';
import { mutantCapability } from '../../mutants/switch.js';

export interface ReferenceControlPlaneOptions {
  store: ClusterStore;
  clock: Clock;
  authorities: ClusterAuthorities;
  audit: AuditLog;
  joinAddress: () => string;
  webAddress: () => string;
  defaults: Settings;
  limits: {
    maxMessageBytes: number;
    defaultCertificateTtlMs: number;
    maxCertificateTtlMs: number;
    maxStreamsPerAddress: number;
    maxControlRequestsPerAddress: number;
    maxControlBodyBytes: number;
  };
  joinAttempts: JoinAttempts;
  version: string;
  /** Scripted mode: the script of faults, and how to restart the join service. */
  scripted?: { faults: ScriptedFaults; restartJoinService: (downMs: number) => Promise<void> };
}

export class ReferenceControlPlane implements ControlPlane {
  readonly tokens: TokenAdministration;
  readonly scripting?: ScriptingControl;
  private current: Settings;
  private jwks: Record<string, unknown>[] = [];

  constructor(private readonly o: ReferenceControlPlaneOptions) {
    this.tokens = new TokenAdministration(o.store, o.clock, (e) => o.store.appendAuditEvent(e).then(() => undefined));
    this.current = { ...o.defaults };
    if (o.scripted) this.scripting = scriptingControl(o.scripted, o.joinAddress);
  }

  /** JWK export is async; done once at start-up. */
  async init(): Promise<void> {
    this.jwks = await Promise.all(
      trustedJoinStateKeys(this.o.authorities.boundKeypair).map(async (s) => ({ ...(await exportJWK(s.publicKey)), kid: s.kid, alg: s.alg, use: 'sig' })),
    );
  }

  capabilities(): Capabilities {
    return {
      control_api_version: CONTROL_API_VERSION,
      protocol_version: PROTOCOL_VERSION,
      implementation: { name: 'bkp-reference-auth-server', version: this.o.version },
      join_methods: ['bound_keypair'],
      roles: ['Bot', 'Instance'],
      recovery_modes: ['standard', 'relaxed', 'insecure'],
      onboarding: ['initial_public_key', 'registration_secret'],
      rotation: true,
      clock_control: this.o.clock instanceof VirtualClock,
      signature_algorithm_suites: [...SIGNATURE_ALGORITHM_SUITES],
      signature_algorithm_suite: this.current.signature_algorithm_suite,
      token_stores: [this.o.store.kind],
      limits: {
        max_message_bytes: this.o.limits.maxMessageBytes,
        stream_timeout_ms: this.current.stream_timeout_ms,
        max_certificate_ttl_ms: this.o.limits.maxCertificateTtlMs,
        default_certificate_ttl_ms: this.o.limits.defaultCertificateTtlMs,
        max_streams_per_address: this.o.limits.maxStreamsPerAddress,
        max_control_requests_per_address: this.o.limits.maxControlRequestsPerAddress,
        max_control_body_bytes: this.o.limits.maxControlBodyBytes,
      },
      features: ['audit-events', 'bot-instances', 'lock-management', 'rotation-request', 'raw-status-write', 'join-state-minting', 'ca-rotation', 'join-attempts', 'stream-timeout-setting', 'suite-setting', 'renewal', 'recovery', 'join-state', 'generation-counter', 'transcripts', ...(this.scripting ? ['scripting'] : [])],
      // A mutant says so, so that no conformance claim can come from it.
      ...mutantCapability(),
    };
  }

  cluster(): ClusterInfo {
    const { authorities } = this.o;
    return {
      cluster_name: authorities.clusterName,
      signature_algorithm_suite: this.current.signature_algorithm_suite,
      join_address: this.o.joinAddress(),
      host_ca_certificates: [authorities.hostCa.certificatePem],
      user_ca_certificates: [authorities.userCa.certificatePem],
      bound_keypair_ca_keys: this.jwks,
      web_address: this.o.webAddress(),
    };
  }

  readonly locks = {
    list: () => this.o.store.listLocks(),
    create: async (input: unknown) => {
      const lock = parseLockResource(input);
      lock.spec.created_at ??= formatTimestamp(this.o.clock.now());
      const stored = await this.o.store.upsertLock(lock);
      await this.o.audit.record(AuditEventType.lockCreate, {}, { lock_name: stored.metadata.name });
      return stored;
    },
    delete: async (name: string) => {
      await this.o.store.deleteLock(name);
      await this.o.audit.record(AuditEventType.lockDelete, {}, { lock_name: name });
    },
  };

  readonly botInstances = {
    list: (botName?: string) => this.o.store.listBotInstances(botName),
    get: async (id: string) => {
      const instance = await this.o.store.getBotInstance(id);
      if (!instance) throw notFound(`bot instance "${id}" not found`);
      return instance;
    },
  };

  readonly joinAttempts = {
    list: async (filter: { token_name?: string }) => this.o.joinAttempts.list(filter),
  };

  readonly transcripts = {
    list: async (filter: TranscriptFilter) => this.o.joinAttempts.transcripts(filter),
  };

  readonly audit = {
    list: (filter: { event?: string; token_name?: string; since_index?: number }) => this.o.store.listAuditEvents(filter),
  };

  readonly clock = {
    get: (): ClockView => ({ kind: this.o.clock.kind, now: formatTimestamp(this.o.clock.now()) }),
    advance: (ms: number): ClockView => {
      this.virtualClock().advance(ms);
      return this.clock.get();
    },
    set: (to: Date): ClockView => {
      this.virtualClock().set(to);
      return this.clock.get();
    },
  };

  readonly settings = {
    get: (): Settings => ({ ...this.current }),
    update: (patch: Partial<Settings>): Settings => {
      if (patch.stream_timeout_ms !== undefined) {
        const ms = patch.stream_timeout_ms;
        if (!Number.isInteger(ms) || ms < 100 || ms > 600_000) throw badParameter('stream_timeout_ms: must be an integer between 100 and 600000');
        this.current.stream_timeout_ms = ms;
      }
      if (patch.signature_algorithm_suite !== undefined) this.current.signature_algorithm_suite = patch.signature_algorithm_suite;
      return { ...this.current };
    },
  };

  async mintJoinState(request: MintJoinStateRequest): Promise<{ join_state: string }> {
    const ca = this.o.authorities.boundKeypair;
    const signer = request.signer === 'active' ? ca.active : ca.additionalTrusted[0];
    if (!signer) throw badParameter('signer: the bound_keypair CA has no previous key; rotate it first');
    const joinState = issueJoinState({
      signer,
      clusterName: request.clusterName ?? this.o.authorities.clusterName,
      subject: request.subject,
      ...(request.botInstanceId ? { botInstanceId: request.botInstanceId } : {}),
      ...(request.hostId ? { hostId: request.hostId } : {}),
      recoverySequence: request.recoverySequence,
      recoveryLimit: request.recoveryLimit,
      recoveryMode: request.recoveryMode,
      now: request.issuedAt ?? this.o.clock.now(),
    });
    return { join_state: joinState };
  }

  /** Like a Teleport CA rotation: new active key, the old one still trusted. Kept across resets. */
  async rotateBoundKeypairCa(): Promise<ClusterInfo> {
    const ca = this.o.authorities.boundKeypair;
    ca.additionalTrusted.unshift(ca.active);
    // A new key follows the suite in force now, as a Teleport CA rotation does.
    ca.active = createJwtSigner(this.current.signature_algorithm_suite);
    await this.o.store.putClusterRecord(AUTHORITIES_RECORD, encodeAuthorities(this.o.authorities));
    await this.init();
    return this.cluster();
  }

  async reset(): Promise<void> {
    await this.o.store.clear();
    this.o.joinAttempts.clear();
    this.o.scripted?.faults.clear();
    this.current = { ...this.o.defaults };
    if (this.o.clock instanceof VirtualClock) this.o.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  }

  streamTimeoutMs(): number {
    return this.current.stream_timeout_ms;
  }

  signatureAlgorithmSuite(): SignatureAlgorithmSuite {
    return this.current.signature_algorithm_suite;
  }

  private virtualClock(): VirtualClock {
    if (!(this.o.clock instanceof VirtualClock)) throw badParameter('clock: this server runs on the real clock, which cannot be moved');
    return this.o.clock;
  }
}
