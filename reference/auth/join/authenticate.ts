// Who is calling? A join may be unauthenticated (onboarding, recovery) or
// carry a client certificate this cluster issued (renewal). The certificate
// is judged here against the server's own clock, so a virtual clock governs
// expiry. A presented but unacceptable certificate is refused outright
// rather than silently treated as anonymous.
import { verifyCertificateChain, readIdentityCertificate } from '../../crypto/index.js';
import { unauthenticated, TraceError } from '../../protocol/errors.js';
import type { ClientInit } from '../../protocol/messages.js';
import type { JoinDeps, AuthContext } from './join-context.js';
import type { PeerInfo } from './join-stream.js';

export function authenticate(peer: PeerInfo, clientInit: ClientInit, deps: JoinDeps): AuthContext {
  const leaf = peer.certificateChain[0];
  // A proxy forwarding the stream presents its own identity, not the client's.
  if (!leaf || clientInit.forwarded_by_proxy) return {};
  const { userCa, hostCa } = deps.authorities;
  const result = verifyCertificateChain({
    certificateDer: leaf,
    caCertificates: [userCa.certificate, hostCa.certificate],
    now: deps.clock.now(),
  });
  if (result instanceof TraceError) throw result;
  let identity;
  try {
    // The certificate verification just decoded: read it, do not decode it again.
    identity = readIdentityCertificate(result.certificate, result.subjectPublicKey);
  } catch {
    throw unauthenticated('malformed certificate: no Teleport identity in the client certificate');
  }
  // A Teleport identity always has a user name (tlsca.Identity requires
  // one). A certificate this cluster signed without one is no identity at
  // all; taking its holder for an anonymous caller would silently turn the
  // join into a recovery (BKP-REN-016).
  if (identity.username === '') throw unauthenticated('malformed certificate: no Teleport identity in the client certificate');
  const ctx: AuthContext = {};
  if (identity.botName) ctx.botName = identity.botName;
  if (identity.botInstanceId) ctx.botInstanceId = identity.botInstanceId;
  if (identity.generation !== undefined) ctx.generation = identity.generation;
  if (identity.joinToken) ctx.joinToken = identity.joinToken;
  if (identity.hostId) {
    ctx.hostId = identity.hostId;
    ctx.isInstance = true;
  }
  return ctx;
}
