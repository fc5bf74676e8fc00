// What the control API exposes, independent of HTTP. The reference server
// implements it over its store, clock and CAs; the HTTP layer
// (control-api/http-server.ts) only translates requests and errors.
import type { ProvisionToken } from '../tokens/token.js';
import type { Lock } from '../locks/lock.js';
import type { BotInstance } from '../bot-instances/bot-instance.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { MintJoinStateRequest } from './join-state-minting.js';
import type { JoinAttemptRecord, TranscriptFilter } from '../join/join-attempts.js';
import type { Transcript } from '../transcripts/transcript.js';
import type { Script } from '../scripting/script.js';
import type { ScriptView } from '../scripting/scripted-faults.js';
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';

export const CONTROL_API_VERSION = 'conformance/v1';
export const PROTOCOL_VERSION = 'teleport.join.v1';

export interface Capabilities {
  /** The control API contract version this implementation speaks. */
  control_api_version: string;
  /** The join protocol it serves. */
  protocol_version: string;
  implementation: { name: string; version: string };
  join_methods: string[];
  /** System roles the join service accepts, e.g. Bot, Instance. */
  roles: string[];
  recovery_modes: string[];
  onboarding: string[];
  rotation: boolean;
  clock_control: boolean;
  signature_algorithm_suites: string[];
  /** The suite the running cluster uses. */
  signature_algorithm_suite: string;
  token_stores: string[];
  limits: Limits;
  /** Free-form extra capability flags, e.g. "lock-management". */
  features: string[];
  /** Only while a deliberately broken variant runs (BKP_MUTANT, docs/mutants.md); `bkp run` refuses such a target. */
  mutant?: string;
}

export interface Limits {
  max_message_bytes: number;
  stream_timeout_ms: number;
  max_certificate_ttl_ms: number;
  default_certificate_ttl_ms: number;
  /** Join streams one client address may hold open at once (0: no cap); optional in the contract. */
  max_streams_per_address?: number;
  /** Control API requests one client address may have in progress at once (0: no cap). */
  max_control_requests_per_address?: number;
  /** Largest control API request body. */
  max_control_body_bytes?: number;
}

export interface ClusterInfo {
  cluster_name: string;
  signature_algorithm_suite: string;
  join_address: string;
  /** PEM certificates a client must trust to reach the join service (host CA). */
  host_ca_certificates: string[];
  /** PEM certificates that sign issued bot certificates (user CA). */
  user_ca_certificates: string[];
  /** Public JWKs (with kid and alg) of the bound_keypair CA: the join state signers. */
  bound_keypair_ca_keys: Record<string, unknown>[];
  /** host:port of the HTTPS web listener serving GET /webapi/find (same certificate as the join service). */
  web_address?: string;
}

/**
 * Scripted mode (feature `scripting`): faults on join streams and simulated
 * restarts, for testing bots. Never present in the normal configuration.
 */
export interface ScriptingControl {
  get(): ScriptView;
  /** Replaces the script; streams held by the old one carry on. */
  set(script: Script): ScriptView;
  clear(): void;
  /** Lets the streams held at a hold fault carry on; NotFound for an unknown fault id. */
  release(faultId: string): { fault_id: string; released: number };
  /** Drops every join stream, keeps the store, listens again on the same address after downMs. */
  restart(downMs: number): Promise<{ join_address: string; down_ms: number }>;
}

export interface ClockView {
  kind: 'real' | 'virtual';
  now: string;
}

export interface Settings {
  stream_timeout_ms: number;
  /** Teleport's cluster auth preference: changeable at run time, like `tctl edit cap`. */
  signature_algorithm_suite: SignatureAlgorithmSuite;
}

export interface TokenAdmin {
  /** Honours incoming status (backup/restore); AlreadyExists if present. */
  create(token: unknown): Promise<ProvisionToken>;
  /** Upsert that keeps the stored status (newest Teleport semantics). */
  apply(token: unknown): Promise<ProvisionToken>;
  get(name: string): Promise<ProvisionToken>;
  list(): Promise<ProvisionToken[]>;
  delete(name: string): Promise<void>;
  /** Equivalent of `tctl bound-keypair request-rotation`: rotate_after := now. */
  requestRotation(name: string): Promise<ProvisionToken>;
  /**
   * Stores a status verbatim, bypassing create/apply semantics: the raw
   * backend edit Teleport's own tests use to reach states no admin command
   * produces (capability feature `raw-status-write`).
   */
  writeStatus(name: string, status: unknown): Promise<ProvisionToken>;
}

export interface ControlPlane {
  capabilities(): Capabilities;
  cluster(): ClusterInfo;
  tokens: TokenAdmin;
  locks: {
    list(): Promise<Lock[]>;
    create(lock: unknown): Promise<Lock>;
    delete(name: string): Promise<void>;
  };
  botInstances: {
    list(botName?: string): Promise<BotInstance[]>;
    get(id: string): Promise<BotInstance>;
  };
  /** What each recent join attempt sent and received, as the server saw it (feature join-attempts). */
  joinAttempts: {
    list(filter: { token_name?: string }): Promise<JoinAttemptRecord[]>;
  };
  /** Every recent join stream, message by message, redacted (feature transcripts). */
  transcripts: {
    list(filter: TranscriptFilter): Promise<Transcript[]>;
  };
  /** Present only in scripted mode. */
  scripting?: ScriptingControl;
  audit: {
    list(filter: { event?: string; token_name?: string; since_index?: number }): Promise<AuditEvent[]>;
  };
  clock: {
    get(): ClockView;
    /** BadParameter when the clock is real. */
    advance(ms: number): ClockView;
    set(to: Date): ClockView;
  };
  settings: {
    get(): Settings;
    update(patch: Partial<Settings>): Settings;
  };
  /**
   * Signs a join state with the cluster's bound_keypair CA, any claim
   * overridable: how scenarios present a document the real CA signed but
   * that names the wrong cluster, subject or host (feature join-state-minting).
   * Teleport's own tests mint join states with the real CA signer the same way.
   */
  mintJoinState(request: MintJoinStateRequest): Promise<{ join_state: string }>;
  /** A new active bound_keypair CA key; the previous one stays trusted (feature ca-rotation). */
  rotateBoundKeypairCa(): Promise<ClusterInfo>;
  /** Back to a clean state: no tokens, locks, instances, events, join records or script; default settings; a virtual clock at real time. */
  reset(): Promise<void>;
}
