import type { JsonObject, JsonValue } from '../api/object.types.js';
import { nowTimestamp } from '../api/object.types.js';
import { messages, topLevelKinds, type FieldDef } from './k8s-protobuf.schemas.js';
import { ProtobufError, readFields, toInt, type WireValue } from './protobuf-wire.util.js';

/** The 4-byte prefix of every Kubernetes protobuf envelope ("k8s\0"). */
const magic = [0x6b, 0x38, 0x73, 0x00];
const text = new TextDecoder();

function bytesOf(v: WireValue): Uint8Array {
  if (v.wire !== 2) throw new ProtobufError('expected a length-delimited field');
  return v.value;
}

function decodeMapEntry(buf: Uint8Array, valueType: 'string' | 'bytes' | 'quantity'): [string, JsonValue] {
  let key = '';
  let value: JsonValue = '';
  for (const [n, v] of readFields(buf)) {
    if (n === 1) key = text.decode(bytesOf(v));
    else if (n === 2) {
      const raw = bytesOf(v);
      value =
        valueType === 'bytes'
          ? Buffer.from(raw).toString('base64')
          : valueType === 'quantity'
            ? String(decodeMessage(raw, 'Quantity')['string'] ?? '')
            : text.decode(raw);
    }
  }
  return [key, value];
}

function decodeTime(buf: Uint8Array): JsonValue {
  let seconds = 0;
  for (const [n, v] of readFields(buf)) if (n === 1 && v.wire === 0) seconds = toInt(v.value);
  if (seconds === 0) return null;
  if (Math.abs(seconds) > 8.64e12) throw new ProtobufError('timestamp out of range');
  return nowTimestamp(new Date(seconds * 1000));
}

function decodeIntOrString(buf: Uint8Array): JsonValue {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  for (const [n, v] of readFields(buf)) {
    if (n === 1 && v.wire === 0) type = toInt(v.value);
    else if (n === 2 && v.wire === 0) intVal = toInt(v.value);
    else if (n === 3) strVal = text.decode(bytesOf(v));
  }
  return type === 1 ? strVal : intVal;
}

function decodeValue(def: FieldDef, v: WireValue): JsonValue {
  switch (def.type) {
    case 'string':
      return text.decode(bytesOf(v));
    case 'bytes':
      return Buffer.from(bytesOf(v)).toString('base64');
    case 'int':
      return v.wire === 0 ? toInt(v.value) : 0;
    case 'bool':
      return v.wire === 0 ? v.value !== 0n : false;
    case 'time':
      return decodeTime(bytesOf(v));
    case 'intOrString':
      return decodeIntOrString(bytesOf(v));
    case 'quantity':
      return String(decodeMessage(bytesOf(v), 'Quantity')['string'] ?? '');
    case 'map<string,string>':
    case 'map<string,bytes>':
    case 'map<string,quantity>':
      return null;
    default:
      return decodeMessage(bytesOf(v), def.type.message);
  }
}

function isZero(v: JsonValue): boolean {
  if (v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** Decodes one message into its JSON form, dropping zero values the way `omitempty` would. */
export function decodeMessage(buf: Uint8Array, name: string): JsonObject {
  const fields = name === 'Quantity' ? { 1: { name: 'string', type: 'string' as const } } : messages[name];
  if (!fields) throw new ProtobufError(`no schema for message ${name}`);
  const out: JsonObject = {};
  for (const [n, v] of readFields(buf)) {
    const def = (fields as Record<number, FieldDef>)[n];
    if (!def) continue;
    if (typeof def.type === 'string' && def.type.startsWith('map<')) {
      const valueType =
        def.type === 'map<string,bytes>'
          ? 'bytes'
          : def.type === 'map<string,quantity>'
            ? 'quantity'
            : 'string';
      const [k, val] = decodeMapEntry(bytesOf(v), valueType);
      out[def.name] = { ...((out[def.name] as JsonObject | undefined) ?? {}), [k]: val };
      continue;
    }
    const value = decodeValue(def, v);
    if (def.repeated) out[def.name] = [...((out[def.name] as JsonValue[] | undefined) ?? []), value];
    else out[def.name] = value;
  }
  for (const n of Object.keys(fields)) {
    const def = (fields as Record<number, FieldDef>)[Number(n)]!;
    const v = out[def.name];
    if (v !== undefined && isZero(v) && !(def.keepZero && v === 0)) delete out[def.name];
  }
  return out;
}

/** Decodes a `application/vnd.kubernetes.protobuf` request body (runtime.Unknown envelope) into JSON. */
export function decodeKubernetesProtobuf(body: Uint8Array): JsonObject {
  if (body.length < 4 || !magic.every((b, i) => body[i] === b))
    throw new ProtobufError('missing the k8s protobuf envelope prefix');
  const envelope = decodeMessage(body.subarray(4), 'Unknown');
  const typeMeta = (envelope['typeMeta'] ?? {}) as JsonObject;
  const kind = String(typeMeta['kind'] ?? '');
  if (!topLevelKinds.has(kind))
    throw new ProtobufError(
      `protobuf bodies of kind ${kind || '<none>'} are not supported by the sandbox; send JSON`,
    );
  const raw = Buffer.from(String(envelope['raw'] ?? ''), 'base64');
  return { apiVersion: String(typeMeta['apiVersion'] ?? ''), kind, ...decodeMessage(raw, kind) };
}
