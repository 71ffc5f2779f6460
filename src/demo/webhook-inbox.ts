/**
 * The demo owner's webhook receiver: a loopback HTTP server that keeps every delivery and checks
 * its Leakstop-Signature the way an owner's own receiver would (notify/webhook-signature.ts).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { verifyWebhookSignature } from "../notify/webhook-signature.js";

/** One delivery as received. */
export interface Delivery {
  receivedAt: number;
  deliveryId: string | undefined;
  signatureValid: boolean;
  body: Record<string, unknown>;
}

/** A running receiver. */
export interface WebhookInbox {
  readonly url: string;
  readonly deliveries: readonly Delivery[];
  /** Resolves with the first delivery, or null after `timeoutMs`. */
  next(timeoutMs: number): Promise<Delivery | null>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

function parseJson(raw: Buffer): Record<string, unknown> {
  try {
    const v = JSON.parse(raw.toString("utf8")) as unknown;
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Starts a receiver on 127.0.0.1 (any free port) that verifies signatures with `secret`. */
export async function startWebhookInbox(secret: string): Promise<WebhookInbox> {
  const deliveries: Delivery[] = [];
  const waiters: ((d: Delivery) => void)[] = [];
  const server: Server = createServer((req, res) => {
    readBody(req).then(
      (raw) => {
        const delivery: Delivery = {
          receivedAt: Date.now(),
          deliveryId: req.headers["leakstop-delivery"] as string | undefined,
          signatureValid: verifyWebhookSignature(raw, req.headers["leakstop-signature"] as string | undefined, secret),
          body: parseJson(raw),
        };
        deliveries.push(delivery);
        for (const w of waiters.splice(0)) w(delivery);
        res.writeHead(204).end();
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/leakstop`,
    deliveries,
    next(timeoutMs) {
      if (deliveries.length > 0) return Promise.resolve(deliveries[0]!);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiters.push((d) => {
          clearTimeout(timer);
          resolve(d);
        });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
