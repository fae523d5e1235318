import { isIPv4, isIPv6 } from 'node:net';

/** Why `value` is not an IP address or CIDR block as Istio's ipBlocks accept, or undefined. */
export function cidrError(value: string): string | undefined {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || !address) return 'must be an IP address or a CIDR block such as 10.0.0.0/8';
  const v4 = isIPv4(address);
  if (!v4 && !isIPv6(address)) return `"${address}" is not an IPv4 or IPv6 address`;
  if (prefix === undefined) return undefined;
  const max = v4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `prefix length must be 0 to ${max}`;
  return undefined;
}

function v4ToInt(address: string): number {
  return address.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

/** True when IPv4 block `outer` contains `inner` (an address or block). IPv6 is compared literally. */
export function cidrContains(outer: string, inner: string): boolean {
  if (cidrError(outer) || cidrError(inner)) return false;
  const [oa, op] = outer.split('/') as [string, string | undefined];
  const [ia, ip] = inner.split('/') as [string, string | undefined];
  if (!isIPv4(oa) || !isIPv4(ia)) return outer === inner;
  const oBits = op === undefined ? 32 : Number(op);
  const iBits = ip === undefined ? 32 : Number(ip);
  if (iBits < oBits) return false;
  const block = 2 ** (32 - oBits);
  return Math.floor(v4ToInt(oa) / block) === Math.floor(v4ToInt(ia) / block);
}
