/**
 * The server side of reporting: POST /v1/findings with a findings:write key, and GET
 * /v1/report-key for the public key secrets are sealed to. A server that does not answer (refused,
 * timed out, 502/503/504) is "unreachable" (the producer spools); one that answers no (400, 401,
 * 403, 413) is an error the user must fix, never retried in silence.
 */
import { LeakstopError, stripUrlCredentials } from "../lib/errors.js";
import type { FindingJob } from "../queue/jobs.js";

/** Thrown when the server cannot be reached; the producer spools instead. */
export class Unreachable extends Error {}

/**
 * The server found the batch itself wrong (400, 413, 422): sending it again cannot help, so a
 * spooled batch it refuses is set aside instead of blocking every later report.
 */
export class Rejected extends LeakstopError {
  constructor(message: string) {
    super("LS_REPORT_REFUSED", message);
  }
}

/** Most findings in one request (the server refuses more). */
export const MAX_FINDINGS_PER_REQUEST = 500;

/** How long one request may take before the server counts as unreachable. */
const TIMEOUT_MS = 5000;

function endpoint(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new Unreachable(`${stripUrlCredentials(url)} did not answer (${why})`);
  }
}

async function refusal(res: Response, what: string): Promise<never> {
  let message = "";
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    message = `${body.error?.code ?? ""}: ${body.error?.message ?? ""}`;
  } catch {
    message = res.statusText;
  }
  if (res.status === 429 || res.status >= 500) throw new Unreachable(`${what}: HTTP ${res.status} ${message}`);
  const text = `${what}: HTTP ${res.status} ${message.slice(0, 300)}`;
  if (res.status === 400 || res.status === 413 || res.status === 422) throw new Rejected(text);
  throw new LeakstopError("LS_REPORT_REFUSED", text);
}

/** Sends up to {@link MAX_FINDINGS_PER_REQUEST} jobs; the server's counts on 202. */
export async function postFindings(
  base: string,
  token: string,
  jobs: FindingJob[],
): Promise<{ added: number; duplicates: number }> {
  const url = endpoint(base, "/v1/findings");
  const res = await request(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ findings: jobs }),
  });
  if (res.status !== 202) return refusal(res, `the server refused the findings (POST ${stripUrlCredentials(url)})`);
  const body = (await res.json()) as { accepted?: number; duplicates?: number };
  return { added: body.accepted ?? 0, duplicates: body.duplicates ?? 0 };
}

/** The server's report public key (PEM), or null when it serves none (404). */
export async function fetchReportKey(base: string): Promise<string | null> {
  const url = endpoint(base, "/v1/report-key");
  const res = await request(url, { headers: { accept: "application/x-pem-file, application/json" } });
  if (res.status === 404) return null;
  if (res.status !== 200) return refusal(res, `the server's report key (GET ${stripUrlCredentials(url)})`);
  const body = (await res.json()) as { publicKey?: string };
  return typeof body.publicKey === "string" ? body.publicKey : null;
}
