/**
 * Delivers one signed webhook: the URL policy is checked again at delivery (DNS may have changed
 * since registration) and the connection goes to the address that was checked (pinned), so a
 * second DNS answer cannot point it elsewhere. Redirects are not followed; any answer but 2xx,
 * a timeout or a socket error is a failure. Messages name only the URL's scheme and host: its
 * path and query may carry a token.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { LeakstopError } from "../lib/errors.js";
import type { NotifyJob } from "../queue/jobs.js";
import { webhookBody } from "./notify-message.js";
import { signWebhookBody } from "./webhook-signature.js";
import { type LookupAll, resolveWebhookTarget, type WebhookAllow } from "./webhook-url.js";

/** Options of {@link sendWebhook}. */
export interface WebhookSenderOptions {
  /** HMAC secret of `Leakstop-Signature` (LEAKSTOP_WEBHOOK_SECRET); without it nothing is sent. */
  secret: string | undefined;
  /** Non-public hosts and networks the operator allows (LEAKSTOP_WEBHOOK_ALLOW). */
  allow: WebhookAllow;
  /** Milliseconds for the whole request, connect to last byte (default 10 s). */
  timeoutMs?: number;
  /** DNS lookup (tests); default: the system resolver. */
  lookup?: LookupAll;
}

/** Default of {@link WebhookSenderOptions.timeoutMs}. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** What a receiver answered. */
export interface WebhookDelivery {
  status: number;
}

/** `https://host:port`, the only part of a webhook URL a message may show. */
export function webhookOrigin(text: string): string {
  try {
    const u = new URL(text);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * POSTs the job's JSON body to `job.to` with `Leakstop-Signature` and `Leakstop-Delivery`.
 * Throws LS_WEBHOOK_REFUSED when the URL policy refuses it (a retry would not help until the
 * operator allows it), LS_CONFIG_INVALID without a secret, LS_WEBHOOK_FAILED otherwise.
 */
export async function sendWebhook(job: NotifyJob, opts: WebhookSenderOptions): Promise<WebhookDelivery> {
  if (!opts.secret) {
    throw new LeakstopError(
      "LS_CONFIG_INVALID",
      "LEAKSTOP_WEBHOOK_SECRET is not set: webhooks are never sent unsigned",
    );
  }
  const origin = webhookOrigin(job.to);
  let target: Awaited<ReturnType<typeof resolveWebhookTarget>>;
  try {
    target = await resolveWebhookTarget(job.to, opts.allow, opts.lookup);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const code = /does not resolve/.test(why) ? "LS_WEBHOOK_FAILED" : "LS_WEBHOOK_REFUSED";
    throw new LeakstopError(code, `webhook to ${origin}: ${why}`);
  }
  const body = JSON.stringify(webhookBody(job));
  const headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "user-agent": "leakstop-webhook/1",
    "leakstop-signature": signWebhookBody(body, opts.secret),
    "leakstop-delivery": job.eventId,
  };
  const status = await post(target.url, target.address, target.family, headers, body, opts.timeoutMs);
  if (status < 200 || status > 299) {
    throw new LeakstopError(
      "LS_WEBHOOK_FAILED",
      `webhook to ${origin} answered ${status} (only 2xx counts as delivered)`,
    );
  }
  return { status };
}

function post(
  url: URL,
  address: string,
  family: 4 | 6,
  headers: Record<string, string>,
  body: string,
  timeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS,
): Promise<number> {
  const origin = `${url.protocol}//${url.host}`;
  // Every lookup of the host answers the address the policy checked (Node may ask with `all`).
  const pinned: LookupFunction = (_host, options, cb) => {
    if ((options as { all?: boolean }).all)
      (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else cb(null, address, family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const fail = (why: string, cause?: unknown) => {
      clearTimeout(timer);
      reject(new LeakstopError("LS_WEBHOOK_FAILED", `webhook to ${origin} failed (${why})`, { cause }));
    };
    const req = send(
      url,
      // SNI carries the name (never an IP literal, which RFC 6066 forbids); the socket goes to the pinned address.
      { method: "POST", headers, lookup: pinned, agent: false, ...(isIP(host) === 0 ? { servername: host } : {}) },
      (res: IncomingMessage) => {
        res.resume(); // the answer's body is not needed; drain it so the socket closes
        res.on("end", () => {
          clearTimeout(timer);
          resolve(res.statusCode ?? 0);
        });
        res.on("error", (err) => fail(errorCode(err), err));
      },
    );
    // One deadline for connect, request and answer: a receiver that trickles bytes cannot hold a worker.
    timer = setTimeout(
      () => req.destroy(Object.assign(new Error("timeout"), { code: `timed out after ${timeoutMs} ms` })),
      timeoutMs,
    );
    req.on("error", (err) => fail(errorCode(err), err));
    req.end(body);
  });
}

/** ECONNREFUSED, "timed out", a TLS reason: never the message, which may repeat the URL. */
function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return typeof code === "string" ? code : "connection error";
}
