/**
 * Webhook URLs that cannot be turned against the network they are sent from
 * (SSRF): no loopback, link-local, private, shared, multicast or reserved
 * address, no IPv4-mapped or NAT64 IPv6 form, no credentials in the URL, only
 * http(s). Numeric host tricks (`2130706433`, `0x7f.1`, `017700000001`) are
 * already normalized to dotted quads by the WHATWG URL parser, so they meet the
 * same address rules. The operator may allow hosts or networks
 * (LEAKSTOP_WEBHOOK_ALLOW, `[webhooks] allow`). Checked at registration
 * ({@link webhookUrlProblem}, no DNS) and again at delivery
 * ({@link resolveWebhookTarget}, every resolved address), since DNS may change.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { type ServiceConfig, serviceConfig } from "../config/service-config.js";
import { LeakstopError } from "../lib/errors.js";

/** Hosts and networks the operator allows even though they are not public. */
export interface WebhookAllow {
  hosts: ReadonlySet<string>;
  networks: BlockList;
  /** The entries as given, for messages. */
  entries: readonly string[];
}

const DENIED_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network", 0.0.0.0 itself
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
const DENIED_V6: [string, number][] = [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64: reaches IPv4 through a gateway
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // old site-local
  ["ff00::", 8], // multicast
];

const DENIED = new BlockList();
for (const [net, bits] of DENIED_V4) DENIED.addSubnet(net, bits, "ipv4");
for (const [net, bits] of DENIED_V6) DENIED.addSubnet(net, bits, "ipv6");
// IPv4-mapped IPv6, refused whatever the IPv4 inside. Kept apart and asked only about IPv6
// addresses: a BlockList matches every IPv4 address against ::ffff:0:0/96.
const MAPPED = new BlockList();
MAPPED.addSubnet("::ffff:0:0", 96, "ipv6");

/** No exceptions: every non-public address is refused. */
export const NO_WEBHOOK_ALLOW: WebhookAllow = { hosts: new Set(), networks: new BlockList(), entries: [] };

/**
 * Parses allow entries: hostnames (`hooks.internal`), addresses (`127.0.0.1`, `::1`) or CIDRs
 * (`10.0.0.0/8`). Throws an Error naming the first bad entry.
 */
export function parseWebhookAllow(entries: string | readonly string[] | undefined): WebhookAllow {
  const list = (typeof entries === "string" ? entries.split(",") : (entries ?? []))
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const hosts = new Set<string>();
  const networks = new BlockList();
  for (const entry of list) {
    const [addr, bitsText, extra] = entry.split("/");
    const family = isIP(addr ?? "");
    if (family !== 0) {
      const max = family === 4 ? 32 : 128;
      const bits = bitsText === undefined ? max : Number(bitsText);
      if (extra !== undefined || !Number.isInteger(bits) || bits < 0 || bits > max || !/^\d*$/.test(bitsText ?? "")) {
        throw new Error(`webhook allow entry "${entry}" is not an address or CIDR`);
      }
      networks.addSubnet(addr as string, bits, family === 4 ? "ipv4" : "ipv6");
    } else if (/^[a-z0-9.-]+$/i.test(entry) && !entry.includes("/")) {
      hosts.add(entry.toLowerCase().replace(/\.$/, ""));
    } else {
      throw new Error(`webhook allow entry "${entry}" is not a hostname, address or CIDR`);
    }
  }
  return { hosts, networks, entries: list };
}

/** The address family of an IP literal for BlockList, or null. */
function familyOf(address: string): "ipv4" | "ipv6" | null {
  const f = isIP(address);
  return f === 4 ? "ipv4" : f === 6 ? "ipv6" : null;
}

/** Why this address may not receive webhooks, or null when it may. */
export function addressProblem(address: string, allow: WebhookAllow = NO_WEBHOOK_ALLOW): string | null {
  const family = familyOf(address);
  if (!family) return "not an IP address";
  if (allow.networks.check(address, family)) return null;
  if (DENIED.check(address, family) || (family === "ipv6" && MAPPED.check(address, family))) {
    return "it points at a loopback, link-local, private or reserved address (allow it with LEAKSTOP_WEBHOOK_ALLOW)";
  }
  return null;
}

/** The URL's host without IPv6 brackets and trailing dot, lower case. */
function bareHost(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}

/**
 * Why this webhook URL is refused at registration, or null when it is acceptable. No DNS:
 * IP literals (in any numeric spelling) are checked, and `localhost` names are refused.
 * The message never repeats the URL (it may carry a token).
 */
export function webhookUrlProblem(text: string, allow: WebhookAllow = NO_WEBHOOK_ALLOW): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "it is not a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "it must be an http(s) URL";
  if (url.username !== "" || url.password !== "") {
    return "it carries credentials (user:password@); the webhook is signed with LEAKSTOP_WEBHOOK_SECRET instead";
  }
  const host = bareHost(url);
  if (allow.hosts.has(host)) return null;
  if (isIP(host) !== 0) return addressProblem(host, allow);
  const loopbackAllowed = allow.networks.check("127.0.0.1", "ipv4") || allow.networks.check("::1", "ipv6");
  if ((host === "localhost" || host.endsWith(".localhost")) && !loopbackAllowed) {
    return "it points at localhost (allow it with LEAKSTOP_WEBHOOK_ALLOW)";
  }
  return null;
}

/** A DNS lookup returning every address of a name (node:dns/promises `lookup` with `all`). */
export type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: LookupAll = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Where a webhook may be delivered: the URL and the one address to connect to (pinned). */
export interface WebhookTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/**
 * For the notifier, at delivery time: checks the URL again, resolves its host and refuses
 * when ANY resolved address is not allowed (a name with one public and one private address
 * is refused). Connect to the returned address, not to the name again, so a second DNS
 * answer cannot differ from the one checked. Throws an Error with a one-line reason.
 */
export async function resolveWebhookTarget(
  text: string,
  allow: WebhookAllow = NO_WEBHOOK_ALLOW,
  lookup: LookupAll = systemLookup,
): Promise<WebhookTarget> {
  const problem = webhookUrlProblem(text, allow);
  if (problem) throw new Error(`webhook URL refused: ${problem}`);
  const url = new URL(text);
  const host = bareHost(url);
  const hostAllowed = allow.hosts.has(host);
  let addresses: { address: string; family: number }[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await lookup(host);
    } catch (err) {
      throw new Error(`webhook host does not resolve (${(err as NodeJS.ErrnoException).code ?? "DNS error"})`);
    }
  }
  if (addresses.length === 0) throw new Error("webhook host does not resolve (no addresses)");
  for (const a of addresses) {
    const why = hostAllowed ? null : addressProblem(a.address, allow);
    if (why) throw new Error(`webhook URL refused: its host resolves to ${a.address}; ${why}`);
  }
  const first = addresses[0] as { address: string; family: number };
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** The allow list from LEAKSTOP_WEBHOOK_ALLOW (and config entries, when given). */
export function webhookAllowFrom(env: NodeJS.ProcessEnv, configEntries: readonly string[] = []): WebhookAllow {
  const fromEnv = (env.LEAKSTOP_WEBHOOK_ALLOW ?? "").split(",");
  return parseWebhookAllow([...fromEnv, ...configEntries]);
}

/**
 * The allow list of the service config: LEAKSTOP_WEBHOOK_ALLOW (comma-separated), else `[webhooks] allow`
 * of the config file (env wins over the file, as for every setting). The registry checks owners'
 * webhook URLs with it and senders check delivery addresses with it, so both agree.
 * LS_CONFIG_INVALID names where the bad entry came from.
 */
export function configuredWebhookAllow(config: ServiceConfig = serviceConfig()): WebhookAllow {
  try {
    return parseWebhookAllow(config.webhooks.allow);
  } catch (err) {
    const where = process.env.LEAKSTOP_WEBHOOK_ALLOW ? "LEAKSTOP_WEBHOOK_ALLOW" : `${config.file} [webhooks] allow`;
    throw new LeakstopError("LS_CONFIG_INVALID", `${where}: ${(err as Error).message}`);
  }
}
