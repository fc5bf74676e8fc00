// Reading `--ca-path`: a PEM bundle of CA certificates the bot trusts for
// the proxy's and the auth server's TLS certificates (our flag; tbot pins
// CAs with ca_pins instead). Bounded, and refused when it holds no certificate.
import { X509Certificate } from 'node:crypto';
import { ConfigError } from '../config/config-error.js';
import { readBoundedTextFile } from '../config/bounded-file.js';

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function readCaBundle(path: string): string[] {
  const text = readBoundedTextFile(path, 'CA certificates');
  const blocks = text.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) throw new ConfigError(`reading CA certificates from ${path}: no PEM certificate found`);
  return blocks.map((block, index) => {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(`reading CA certificates from ${path}: certificate ${index + 1} does not parse: ${(err as Error).message}`);
    }
    return `${block}\n`;
  });
}
