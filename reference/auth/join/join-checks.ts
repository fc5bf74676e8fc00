// The generic checks every join method shares, before the method's handler
// runs: a well-formed ClientInit, a live token, the join method, the role.
import type { ClientInit } from '../../protocol/messages.js';
import { accessDenied, badParameter, wrap } from '../../protocol/errors.js';
import type { ProvisionToken } from '../tokens/token.js';
import { LOCAL_SERVICE_ROLES } from '../tokens/token.js';
import type { ClusterStore } from '../store/store.js';
import { parseTimestamp } from '../clock/clock.js';
import { mutantActive } from '../../mutants/switch.js';

export function validateClientInit(init: ClientInit): { tokenName: string; role: string } {
  try {
    if (!init.token_name) throw badParameter('TokenName is required');
    if (!init.system_role) throw badParameter('SystemRole is required');
  } catch (err) {
    throw wrap(err, 'validating ClientInit message');
  }
  return { tokenName: init.token_name, role: init.system_role };
}

/** Missing and expired tokens are indistinguishable to the caller. */
export async function lookupToken(store: ClusterStore, name: string, now: Date): Promise<ProvisionToken> {
  const token = await store.getToken(name);
  const expires = parseTimestamp(token?.metadata.expires);
  // Mutant: server-expired-token-accepted ignores metadata.expires.
  if (!token || (!mutantActive('server-expired-token-accepted') && expires && expires.getTime() <= now.getTime())) throw accessDenied('token expired or not found');
  return token;
}

export function checkJoinMethod(token: ProvisionToken, requested: string | undefined): string {
  if (requested !== undefined && requested !== '' && requested !== token.spec.join_method) {
    throw badParameter(`client requested join method ${requested}, provision token only supports method ${token.spec.join_method}`);
  }
  return token.spec.join_method;
}

export function checkRoleAllowed(token: ProvisionToken, role: string): void {
  if (role === 'Instance') {
    const local = token.spec.roles.some((r) => (LOCAL_SERVICE_ROLES as readonly string[]).includes(r));
    if (!local) throw accessDenied('cannot requisition instance certs (token contains no local service roles)');
    return;
  }
  // Mutant: server-role-not-checked lets any role through.
  if (!mutantActive('server-role-not-checked') && !token.spec.roles.includes(role)) {
    throw badParameter(`can not join the cluster, the token does not allow role ${role}`);
  }
}
