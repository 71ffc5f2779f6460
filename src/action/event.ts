/**
 * What a workflow event asks leakstop to scan, read from the event payload alone (no git yet):
 * the pushed range, a pull request's commits, or the full history.
 */
import { readFileSync } from "node:fs";
import { LeakstopError } from "../lib/errors.js";

/** The all-zero object id GitHub sends for a ref that did not exist before (or no longer exists). */
export const ZERO_SHA = "0".repeat(40);

export type EventRequest =
  /** `before` is null on a branch's or tag's first push. */
  | { kind: "push"; ref: string; before: string | null; after: string; forced: boolean; defaultBranch: string | null }
  /** A pull request (or a merge queue group): the commits of `head` that `base` lacks. */
  | { kind: "compare"; event: string; base: string; head: string; label: string }
  | { kind: "history"; event: string }
  | { kind: "nothing"; reason: string };

/** Events the Action knows, and what each scans. */
export const SUPPORTED_EVENTS = [
  "push",
  "pull_request",
  "pull_request_target",
  "merge_group",
  "schedule",
  "workflow_dispatch",
] as const;

type Payload = Record<string, unknown>;

/**
 * Reads GITHUB_EVENT_NAME and the JSON at GITHUB_EVENT_PATH.
 *
 * @throws LeakstopError LS_ACTION_EVENT when either is missing, unreadable or not what the event promises
 */
export function readEventRequest(env: NodeJS.ProcessEnv): EventRequest {
  const name = env.GITHUB_EVENT_NAME;
  if (!name) throw eventError("GITHUB_EVENT_NAME is not set: run leakstop's Action inside a workflow");
  if (!(SUPPORTED_EVENTS as readonly string[]).includes(name))
    throw eventError(`the ${printable(name)} event is not supported (use ${SUPPORTED_EVENTS.join(", ")})`);
  // Scheduled and manual runs scan the whole history: their payload has nothing leakstop needs.
  if (name === "schedule" || name === "workflow_dispatch") return { kind: "history", event: name };
  return requestOf(name, readPayload(env.GITHUB_EVENT_PATH));
}

/** The request for an event's parsed payload (exported for tests of each event's shape). */
export function requestOf(name: string, payload: Payload): EventRequest {
  if (name === "push") return pushRequest(payload);
  if (name === "merge_group") {
    const group = objectAt(payload, "merge_group");
    const base = shaAt(group, "base_sha", "merge_group.base_sha");
    const head = shaAt(group, "head_sha", "merge_group.head_sha");
    return { kind: "compare", event: name, base, head, label: `merge group ${head.slice(0, 12)}` };
  }
  const pr = objectAt(payload, "pull_request");
  const base = shaAt(objectAt(pr, "base", "pull_request.base"), "sha", "pull_request.base.sha");
  const head = shaAt(objectAt(pr, "head", "pull_request.head"), "sha", "pull_request.head.sha");
  const number = typeof pr.number === "number" ? ` #${pr.number}` : "";
  return { kind: "compare", event: name, base, head, label: `pull request${number}` };
}

function pushRequest(payload: Payload): EventRequest {
  const ref = typeof payload.ref === "string" ? payload.ref : "";
  if (ref === "") throw eventError("the push payload has no ref");
  const after = typeof payload.after === "string" ? payload.after : "";
  // A deleted branch or tag adds no commit.
  if (payload.deleted === true || after === ZERO_SHA)
    return { kind: "nothing", reason: `${printable(ref)} was deleted` };
  const before = shaAt(payload, "before", "before");
  const repository = payload.repository as Payload | undefined;
  const defaultBranch = repository && typeof repository.default_branch === "string" ? repository.default_branch : null;
  return {
    kind: "push",
    ref,
    before: before === ZERO_SHA ? null : before,
    after: shaAt(payload, "after", "after"),
    forced: payload.forced === true,
    defaultBranch,
  };
}

function readPayload(path: string | undefined): Payload {
  if (!path) throw eventError("GITHUB_EVENT_PATH is not set: the event payload is needed to know what to scan");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw eventError(`cannot read the event payload ${path}: ${(err as { code?: string }).code ?? "read error"}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw eventError(`the event payload ${path} is not JSON`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    throw eventError(`the event payload ${path} is not a JSON object`);
  return payload as Payload;
}

function objectAt(o: Payload, key: string, where = key): Payload {
  const v = o[key];
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw eventError(`the event payload has no ${where}`);
  return v as Payload;
}

/** A full hex object id (SHA-1 or SHA-256), lower-cased. */
function shaAt(o: Payload, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== "string" || !/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(v))
    throw eventError(`the event payload's ${where} is not a commit id`);
  return v.toLowerCase();
}

function eventError(message: string): LeakstopError {
  return new LeakstopError("LS_ACTION_EVENT", message);
}

/** Event names and refs come from outside: no control characters in a one-line error. */
function printable(text: string): string {
  return JSON.stringify(text.slice(0, 100));
}
