/** A field read off the protobuf wire: varints as bigint, length-delimited ones as bytes. */
export type WireValue =
  { wire: 0; value: bigint } | { wire: 2; value: Uint8Array } | { wire: 1 | 5; value: Uint8Array };

export class ProtobufError extends Error {}

/** Reads every (field number, value) pair of one message, in wire order. */
export function readFields(buf: Uint8Array): Array<[number, WireValue]> {
  const out: Array<[number, WireValue]> = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new ProtobufError('truncated varint');
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new ProtobufError('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    switch (wire) {
      case 0:
        out.push([field, { wire: 0, value: varint() }]);
        break;
      case 2: {
        const len = Number(varint());
        if (pos + len > buf.length) throw new ProtobufError('truncated length-delimited field');
        out.push([field, { wire: 2, value: buf.subarray(pos, pos + len) }]);
        pos += len;
        break;
      }
      case 1:
      case 5: {
        const len = wire === 1 ? 8 : 4;
        if (pos + len > buf.length) throw new ProtobufError('truncated fixed field');
        out.push([field, { wire, value: buf.subarray(pos, pos + len) }]);
        pos += len;
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

/** Zig-zag-free int64/int32 as a JS number (two's complement for negatives). */
export function toInt(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}
