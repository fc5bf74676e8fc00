// Public API of the reference bot's library: its storage and bound keypair
// client state, the join client and the identity store. The command line and
// lifecycle (cli*, lifecycle/, proxy/) build on these.
export type { BotClock } from './clock.js';
export { clockFromEnvironment, fileClock, systemClock } from './clock.js';
export type { BotLog, LogFields, LogLevel } from './log.js';
export { memoryLog, streamLog } from './log.js';

export type { ClientState, JoinParameters } from './state/client-state.js';
export type { BotStorage } from './state/bot-storage.js';
export { directoryStorage, storageDirectory, MAX_ITEM_BYTES } from './state/bot-storage.js';
export { KEY_HISTORY_ITEM, KeyHistoryLength } from './state/key-history.js';
export { BKP_ITEMS, ERR_NO_MATCHING_KEY, FsClientState } from './state/fs-client-state.js';
export {
  ERR_NO_ACTIVE_KEY, WARN_HISTORY_UNPARSABLE, WARN_HISTORY_UNREADABLE, createKeypair, emptyFsClientState, loadFsClientState,
} from './state/fs-state-loader.js';
export {
  ERR_STATIC_KEY_MISMATCH, ERR_STATIC_ROTATION, STATIC_KEY_ENV, StaticClientState, WARN_STATIC_SECRET_IGNORED, loadStaticKey,
} from './state/static-client-state.js';

export type { BotIdentity, JoinOptions, ServerTrust } from './join/join-types.js';
export { BotJoinError } from './join/join-types.js';
export { joinOnce } from './join/join-client.js';
export { LOCAL, RETRYABLE_COMMIT_MESSAGE } from './join/join-errors.js';
export { ERR_MISSING_BOUND_KEYPAIR } from './join/bot-result.js';

export type { IdentityState, LoadedIdentity } from './identity/identity-store.js';
export { IDENTITY_ITEMS, loadIdentity, saveIdentity } from './identity/identity-store.js';
