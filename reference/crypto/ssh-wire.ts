// SSH wire-format primitives (RFC 4251 §5): uint32, uint64, string and mpint.
// Hand-written because the encodings are tiny and the parser must be strict:
// every length is bounds-checked, mpints must be minimal and non-negative,
// and callers must consume the whole buffer (trailing bytes are an error),
// so one key has exactly one accepted encoding.
import { badParameter } from '../protocol/errors.js';

export class SshWriter {
  private readonly parts: Buffer[] = [];

  uint32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw badParameter(`uint32 out of range: ${value}`);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value);
    this.parts.push(b);
    return this;
  }

  uint64(value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn) throw badParameter(`uint64 out of range: ${value}`);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(value);
    this.parts.push(b);
    return this;
  }

  /** A length-prefixed byte string; JS strings are written as UTF-8. */
  string(value: Buffer | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.uint32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  /**
   * A non-negative mpint from its unsigned big-endian magnitude: leading zero
   * bytes are dropped, and a 0x00 is prepended when the top bit is set so the
   * two's-complement reading stays positive. Zero is the empty string.
   */
  mpint(magnitude: Buffer): this {
    let start = 0;
    while (start < magnitude.length && magnitude[start] === 0) start++;
    const trimmed = magnitude.subarray(start);
    if (trimmed.length > 0 && (trimmed[0]! & 0x80) !== 0) {
      return this.string(Buffer.concat([Buffer.from([0]), trimmed]));
    }
    return this.string(trimmed);
  }

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export class SshReader {
  private offset = 0;

  /** `what` names the structure being read, so errors say where they failed. */
  constructor(private readonly buf: Buffer, private readonly what: string) {}

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private take(n: number, field: string): Buffer {
    if (n > this.remaining) {
      throw badParameter(`${this.what}: truncated ${field} (needs ${n} bytes, ${this.remaining} left)`);
    }
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  uint32(field: string): number {
    return this.take(4, field).readUInt32BE();
  }

  uint64(field: string): bigint {
    return this.take(8, field).readBigUInt64BE();
  }

  string(field: string): Buffer {
    const len = this.uint32(`${field} length`);
    return this.take(len, field);
  }

  /** A string that must be valid UTF-8 text (names, key IDs, principals). */
  text(field: string): string {
    const bytes = this.string(field);
    const decoded = bytes.toString('utf8');
    if (!Buffer.from(decoded, 'utf8').equals(bytes)) throw badParameter(`${this.what}: ${field} is not valid UTF-8`);
    return decoded;
  }

  /** A non-negative, minimally encoded mpint; returns its unsigned magnitude. */
  mpint(field: string): Buffer {
    const bytes = this.string(field);
    if (bytes.length === 0) return bytes;
    if ((bytes[0]! & 0x80) !== 0) throw badParameter(`${this.what}: ${field} is a negative mpint`);
    if (bytes[0] === 0) {
      if (bytes.length === 1 || (bytes[1]! & 0x80) === 0) {
        throw badParameter(`${this.what}: ${field} is not a minimally encoded mpint`);
      }
      return bytes.subarray(1);
    }
    return bytes;
  }

  expectEnd(): void {
    if (this.remaining !== 0) throw badParameter(`${this.what}: ${this.remaining} unexpected trailing bytes`);
  }
}
