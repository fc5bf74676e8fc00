// Byte-level damage to the gRPC stream: frames whose 5-byte prefix lies
// about the payload, payloads that are not the message they claim to be,
// and bytes with no frame structure at all. Each attack turns the honest
// next message into the bytes put on the stream.
import { grpcFrame } from '../../reference/auth/grpc/testing/raw-join-client.js';

export type FrameAttack =
  | { kind: 'garbage'; bytes: Uint8Array }
  | { kind: 'truncated'; keep: number }
  | { kind: 'bitflip'; positions: number[]; xor: number }
  | { kind: 'short-frame'; missing: number }
  | { kind: 'oversized-declared'; declared: number }
  | { kind: 'oversized'; extra: number }
  | { kind: 'compressed' }
  | { kind: 'flag'; flag: number }
  | { kind: 'partial-header'; length: number }
  | { kind: 'extra-field'; field: number; wireType: number; bytes: Uint8Array }
  | { kind: 'raw'; bytes: Uint8Array };

/** The bytes of the attack, given the honest next message's encoding and the server's size limit. */
export function attackBytes(attack: FrameAttack, honest: Buffer, maxMessageBytes: number): Buffer {
  switch (attack.kind) {
    case 'garbage':
      return grpcFrame(Buffer.from(attack.bytes));
    case 'truncated':
      return grpcFrame(honest.subarray(0, Math.floor(honest.length * attack.keep)));
    case 'bitflip': {
      const out = Buffer.from(honest);
      for (const p of attack.positions) if (out.length > 0) out[p % out.length] = (out[p % out.length] ?? 0) ^ (attack.xor || 1);
      return grpcFrame(out);
    }
    case 'short-frame':
      // The prefix promises more than ever comes; the stream then ends mid-message.
      return grpcFrame(honest, { declaredLength: honest.length + attack.missing });
    case 'oversized-declared':
      return grpcFrame(honest.subarray(0, 16), { declaredLength: maxMessageBytes + 1 + attack.declared });
    case 'oversized':
      return grpcFrame(Buffer.concat([honest, field(1_000, 2, Buffer.alloc(maxMessageBytes + attack.extra, 0x41))]));
    case 'compressed':
      return grpcFrame(honest, { compressed: true });
    case 'flag': {
      const frame = grpcFrame(honest);
      frame.writeUInt8(attack.flag & 0xff, 0);
      return frame;
    }
    case 'partial-header':
      return grpcFrame(honest).subarray(0, Math.max(1, Math.min(4, attack.length)));
    case 'extra-field':
      return grpcFrame(Buffer.concat([honest, field(attack.field, attack.wireType, Buffer.from(attack.bytes))]));
    case 'raw':
      return Buffer.from(attack.bytes);
  }
}

/** A protobuf field with any wire type; for length-delimited ones the bytes get their length. */
function field(number: number, wireType: number, bytes: Buffer): Buffer {
  const tag = varint(BigInt(number) * 8n + BigInt(wireType & 7));
  if ((wireType & 7) === 2) return Buffer.concat([tag, varint(BigInt(bytes.length)), bytes]);
  return Buffer.concat([tag, bytes]);
}

function varint(value: bigint): Buffer {
  const out: number[] = [];
  let v = value;
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}
