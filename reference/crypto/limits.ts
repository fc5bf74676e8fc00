// Upper bounds on attacker-supplied input. Everything in this folder parses
// bytes that arrive from the network (challenge answers, join states, keys,
// certificates), so each parser refuses oversized input before doing any work
// proportional to its size. The limits are far above anything legitimate.

/** A compact JWS: a challenge answer or a join state document. */
export const MAX_COMPACT_JWS_BYTES = 64 * 1024;

/** One authorized_keys line; an 8192-bit RSA key needs about 1.4 KiB. */
export const MAX_AUTHORIZED_KEY_BYTES = 16 * 1024;

/** A PEM private key file. */
export const MAX_PRIVATE_KEY_PEM_BYTES = 64 * 1024;

/** One DER certificate. */
export const MAX_CERTIFICATE_DER_BYTES = 64 * 1024;
