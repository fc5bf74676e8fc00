// Where a Teleport TLS identity keeps its fields inside the certificate
// subject. Teleport's OIDs, read from gravitational/teleport lib/tlsca/ca.go
// (Identity.Subject / FromSubject): each is an extra attribute in the subject
// Distinguished Name (not an X.509 extension), holding a string.
//
// The join token name has no OID here: Teleport's tlsca.Identity has a
// JoinToken field in newer releases, but its OID was not found in the sources
// available when this was written, so the reference uses an OID under a
// private arc instead (see JOIN_TOKEN). A real Teleport would not read it;
// only this reference's own server does.

/** Teleport: TeleportClusterASN1ExtensionOID, the cluster that issued the identity. */
export const TELEPORT_CLUSTER = '1.3.9999.1.7';
/** Teleport: RenewableCertificateASN1ExtensionOID ("true" when renewable). Bound keypair certs are not renewable. */
export const RENEWABLE = '1.3.9999.1.13';
/** Teleport: GenerationASN1ExtensionOID, the bot certificate generation as a decimal string. */
export const GENERATION = '1.3.9999.1.14';
/** Teleport: SystemRolesASN1ExtensionOID, one attribute per system role of a multi-role (Instance) cert. */
export const SYSTEM_ROLES = '1.3.9999.2.11';
/** Teleport: BotASN1ExtensionOID, the bot name. */
export const BOT_NAME = '1.3.9999.2.18';
/** Teleport: BotInstanceASN1ExtensionOID, the bot instance UUID. */
export const BOT_INSTANCE_ID = '1.3.9999.2.20';
/** Teleport: JoinAttributesASN1ExtensionOID, protojson of the join attributes. */
export const JOIN_ATTRIBUTES = '1.3.9999.2.21';

/**
 * NOT Teleport's: the join token name, under a private arc. Microsoft set
 * aside 1.2.840.113556.1.8000.2554 for OIDs anyone may derive from a GUID
 * without registration (GUID split into 16,16,16,16,16,24,24-bit decimal
 * arcs); this uses GUID 6f1c1a52-0b8e-4c2e-9a43-5b1f3c6d7e80, and `.1` names
 * this field. (The X.667 2.25.<uuid> arc was avoided: its 128-bit arc does
 * not survive @peculiar/x509's OID parser.)
 */
export const JOIN_TOKEN = '1.2.840.113556.1.8000.2554.28444.6738.2958.19502.39491.5971772.7175808.1';

/** Standard attribute types used for the username and groups. */
export const COMMON_NAME = '2.5.4.3';
export const ORGANIZATION = '2.5.4.10';
