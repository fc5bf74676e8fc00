// The two exchanges of the bound keypair ceremony:
//  - proving possession of a key: challenge document out, compact JWS back;
//  - asking for a new public key (registration and rotation).
// The issued challenge lives only in this function's scope, so a solution
// can only ever answer the challenge of its own stream.
import type { KeyObject } from 'node:crypto';
import { issueChallenge, verifyChallengeResponse, parseAuthorizedKey } from '../../../crypto/index.js';
import { wrap, badParameter } from '../../../protocol/errors.js';
import type { JoinAttempt } from '../join-context.js';
import { receive } from '../receive.js';
import { mutantActive } from '../../../mutants/switch.js';

/** Challenges the client to sign with the key given in authorized_keys form. */
export async function proveKeyPossession(j: JoinAttempt, authorizedKey: string): Promise<void> {
  let key: KeyObject;
  try {
    key = parseAuthorizedKey(authorizedKey);
  } catch (err) {
    throw wrap(err, 'parsing bound public key');
  }
  const clusterName = j.deps.authorities.clusterName;
  let issued;
  try {
    issued = issueChallenge({ clusterName, publicKey: key, now: j.deps.clock.now() });
  } catch (err) {
    throw wrap(err, 'generating a challenge document');
  }
  let solution: Buffer;
  try {
    await j.stream.send({
      challenge: { bound_keypair_challenge: { public_key: Buffer.from(authorizedKey), challenge: issued.document } },
    });
    const req = await receive(j.stream, 'bound_keypair_challenge_solution');
    solution = req.solution?.bound_keypair_challenge_solution?.solution ?? Buffer.alloc(0);
  } catch (err) {
    throw wrap(err, 'requesting a signed challenge');
  }
  try {
    verifyChallengeResponse({ issued, solution, clusterName, now: j.deps.clock.now() });
  } catch (err) {
    throw wrap(err, 'validating challenge response');
  }
}

export interface OfferedKey {
  /** authorized_keys text as stored and echoed back in challenges. */
  text: string;
  key: KeyObject;
}

/** Sends a rotation request and reads back the client's new public key. */
export async function requestNewPublicKey(j: JoinAttempt): Promise<OfferedKey> {
  try {
    await j.stream.send({
      challenge: { bound_keypair_rotation_request: { signature_algorithm_suite: j.deps.suite() } },
    });
    const req = await receive(j.stream, 'bound_keypair_rotation_response');
    const raw = req.solution?.bound_keypair_rotation_response?.public_key;
    if (!raw || raw.length === 0) throw badParameter('the rotation response carries no public key');
    // Kept verbatim, as Teleport does: this exact text is challenged next and stored.
    const text = raw.toString('utf8');
    return { text, key: parseAuthorizedKey(text) };
  } catch (err) {
    throw wrap(err, 'requesting a new public key');
  }
}

/** Asks for a new key and challenges it: registration and rotation both do this. */
export async function obtainNewKey(j: JoinAttempt): Promise<OfferedKey> {
  const offered = await requestNewPublicKey(j);
  try {
    // Mutant: server-rotation-new-key-not-challenged binds the offered key unproven.
    if (!mutantActive('server-rotation-new-key-not-challenged')) await proveKeyPossession(j, offered.text);
  } catch (err) {
    throw wrap(err, 'solving challenge for new public key');
  }
  return offered;
}
