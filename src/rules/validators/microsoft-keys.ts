/**
 * Microsoft's checksummed key formats (the public facts of github.com/microsoft/security-utilities):
 * - identifiable keys: base64 of 32 or 64 bytes whose last 4 bytes are the Marvin32 of the rest under a
 *   seed of the key's kind, with a 4-character signature (`+ASt` storage, `ACDb` Cosmos DB, `+ASb`
 *   Service Bus…) just before the 6 checksum characters;
 * - "common annotated" keys (84 characters, or 88 in long form): 52 random characters, `JQQJ9`, a kind
 *   character, a date, platform and provider data, a 4-character provider signature (`AZDO` Azure DevOps,
 *   `ACOG` Azure AI services…) and a checksum: Marvin32 of the first 60 bytes under the seed "Default0".
 */
import { marvin32 } from "../../lib/marvin32.js";

/** An 8-character seed name read as Microsoft reads it: its bytes reversed, as a little-endian 64-bit integer. */
function seedOf(name: string): bigint {
  let out = 0n;
  for (const ch of name) out = (out << 8n) | BigInt(ch.charCodeAt(0));
  return out;
}

const CASK_SEED = seedOf("Default0");

/** Signature → checksum seeds of that kind of identifiable key. */
const IDENTIFIABLE_SEEDS: Record<string, bigint[]> = {
  "+ASt": [seedOf("Default0")],
  ACDb: ["SysAll00", "Resour00", "MastRO00", "SystRO00", "Encryp00", "MastRW00", "SystRW00"].map(seedOf),
  "+ASb": ["System00", "Unknown0", "Send0000", "Manage00", "Listen00"].map(seedOf),
  "+AEh": ["System00", "Unknown0", "Send0000", "Manage00", "Listen00"].map(seedOf),
  "+ARm": ["System00", "Unknown0", "Send0000", "Manage00", "Listen00"].map(seedOf),
  "+ABa": [seedOf("AbAcct00")],
  AzFu: ["Master00", "System00", "Functi00"].map(seedOf),
  AzCa: [seedOf("Access00")],
  AzSe: ["Query000", "PAdmin00"].map(seedOf),
  "+AMC": [seedOf("Classic0")],
  "+ACR": [seedOf("ACRDflt0")],
  AIoT: ["IoTHub00", "DpsKey00", "Device00"].map(seedOf),
  APIM: ["Tenant00", "IoTHub00", "Gatewy00", "GitKey00"].map(seedOf),
};

function base64Bytes(text: string): Buffer | null {
  const std = text.replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(std)) return null;
  return Buffer.from(std, "base64");
}

/**
 * An identifiable key (32 to 64 bytes, base64 or base64url): true when its signature is known and the Marvin32 checksum
 * matches one of the kind's seeds, false when the signature is known and no seed matches, null for a key
 * without a known signature (older keys of the same services carry none).
 */
export function identifiableKeyChecksum(secret: string): boolean | null {
  const bytes = base64Bytes(secret);
  if (!bytes || bytes.length < 32 || bytes.length > 66) return null;
  const bare = secret.replace(/=+$/, "");
  const signature = bare.slice(bare.length - 10, bare.length - 6);
  const seeds = IDENTIFIABLE_SEEDS[signature];
  if (!seeds) return null;
  const expected = bytes.readUInt32LE(bytes.length - 4);
  const body = bytes.subarray(0, bytes.length - 4);
  return seeds.some((seed) => marvin32(body, seed) === expected);
}

/** Base62 of bytes taken as one big-endian number (the encoder Microsoft uses), a leading zero per zero byte. */
function base62Bytes(bytes: Uint8Array): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  do {
    out = alphabet[Number(n % 62n)] + out;
    n /= 62n;
  } while (n > 0n);
  let zeros = 0;
  while (zeros < bytes.length - 1 && bytes[zeros] === 0) zeros++;
  return "0".repeat(zeros) + out;
}

/** A common annotated key (84 or 88 characters, `JQQJ9` at 52): its checksum matches. */
export function commonAnnotatedKeyChecksum(secret: string): boolean {
  if ((secret.length !== 84 && secret.length !== 88) || secret.slice(52, 57) !== "JQQJ9") return false;
  const body = base64Bytes(secret.slice(0, 80));
  if (body?.length !== 60) return false;
  const sum = Buffer.alloc(4);
  sum.writeInt32LE(marvin32(body, CASK_SEED) | 0);
  const written = secret.slice(80).replace(/=+$/, "");
  // The checksum is written as base62 text (re-read as base64), or in older keys as the bytes' base64.
  const text = base62Bytes(sum).padEnd(6, "0");
  const canonical = Buffer.from(`${text}==`, "base64").toString("base64").replace(/=+$/, "");
  if (written.length > 0 && canonical.startsWith(written)) return true;
  return sum.subarray(0, secret.length === 88 ? 4 : 3).toString("base64") === secret.slice(80);
}
