/**
 * Source-IP allowlists as bit strings, so the verify Lua script can match an
 * address against a CIDR with a plain prefix comparison: an address becomes
 * "4:<32 bits>" or "6:<128 bits>", a CIDR "4:<first N bits>". IPv4-mapped IPv6
 * addresses (::ffff:a.b.c.d) count as IPv4.
 */
import { isIPv4, isIPv6 } from "node:net";

function bits(value: number, width: number): string {
  return value.toString(2).padStart(width, "0");
}

function ipv4Bits(text: string): string {
  return text
    .split(".")
    .map((part) => bits(Number(part), 8))
    .join("");
}

/** The 8 groups of an IPv6 address, "::" expanded and a dotted IPv4 tail turned into two groups. */
function ipv6Groups(text: string): number[] {
  let addr = text;
  const lastColon = addr.lastIndexOf(":");
  const tail = addr.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = tail.split(".").map(Number) as [number, number, number, number];
    addr = `${addr.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const [head, rest] = addr.split("::") as [string, string | undefined];
  const headGroups = head ? head.split(":") : [];
  const restGroups = rest ? rest.split(":") : [];
  const fill = rest === undefined ? [] : new Array(8 - headGroups.length - restGroups.length).fill("0");
  return [...headGroups, ...fill, ...restGroups].map((g) => Number.parseInt(g, 16));
}

/** An IP address as "4:<bits>" or "6:<bits>"; null if it is not an address. Zone ids (%eth0) are dropped. */
export function ipToBits(ip: string): string | null {
  const text = ip.trim().replace(/%.*$/, "");
  if (isIPv4(text)) return `4:${ipv4Bits(text)}`;
  if (!isIPv6(text)) return null;
  const groups = ipv6Groups(text);
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMapped) return `4:${bits(groups[6] as number, 16)}${bits(groups[7] as number, 16)}`;
  return `6:${groups.map((g) => bits(g, 16)).join("")}`;
}

/** A CIDR ("10.0.0.0/8", "2001:db8::/32", or a bare address meaning /32 or /128) as its prefix bits; null if malformed. */
export function cidrToBits(cidr: string): string | null {
  const [addr, lenText, extra] = cidr.trim().split("/");
  if (addr === undefined || extra !== undefined) return null;
  const full = ipToBits(addr);
  if (!full) return null;
  const family = full.slice(0, 2);
  const addrBits = full.slice(2);
  // A mapped address written with an IPv6 prefix length counts 96 bits of mapping.
  const mappedV6 = family === "4:" && isIPv6(addr.replace(/%.*$/, ""));
  if (lenText === undefined) return full;
  if (!/^\d{1,3}$/.test(lenText)) return null;
  let len = Number(lenText);
  if (mappedV6) {
    if (len < 96 || len > 128) return null;
    len -= 96;
  }
  if (len > addrBits.length) return null;
  return `${family}${addrBits.slice(0, len)}`;
}

/** True when `ip` falls in one of `cidrs` (the same test the Lua script makes). */
export function ipInCidrs(ip: string, cidrs: string[]): boolean {
  const ipBits = ipToBits(ip);
  if (!ipBits) return false;
  return cidrs.some((c) => {
    const prefix = cidrToBits(c);
    return prefix !== null && ipBits.startsWith(prefix);
  });
}
