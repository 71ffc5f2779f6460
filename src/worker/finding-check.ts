/**
 * Checks a findings-queue payload before the worker acts on it. A payload that is not a
 * FindingJob of a known schema version is refused with a message naming the field only (its
 * value is never repeated: it may be anything, a raw secret included).
 */
import { type FindingJob, JOB_SCHEMA_VERSION } from "../queue/jobs.js";

const HEX64 = /^[0-9a-f]{64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function shortText(v: unknown, max = 1000): boolean {
  return typeof v === "string" && v.length > 0 && v.length <= max;
}

/** Why `data` is not a usable FindingJob, or null when it is. */
export function findingJobProblem(data: unknown): string | null {
  if (!isObject(data)) return "the payload is not an object";
  if (data.v !== JOB_SCHEMA_VERSION) {
    return `schema version ${typeof data.v === "number" ? data.v : "?"} (this worker knows ${JOB_SCHEMA_VERSION})`;
  }
  if (typeof data.findingId !== "string" || !HEX64.test(data.findingId)) return "findingId is not 64 hex digits";
  if (typeof data.secretHash !== "string" || !HEX64.test(data.secretHash)) return "secretHash is not 64 hex digits";
  if (!shortText(data.ruleId, 200)) return "ruleId is missing";
  if (!shortText(data.provider, 200)) return "provider is missing";
  if (!shortText(data.detectedAt, 64) || Number.isNaN(Date.parse(data.detectedAt as string))) {
    return "detectedAt is not an ISO-8601 time";
  }
  const loc = data.location;
  if (!isObject(loc)) return "location is missing";
  if (!shortText(loc.path, 4096)) return "location.path is missing";
  if (typeof loc.startLine !== "number") return "location.startLine is not a number";
  if (data.sealedSecret !== undefined && !isObject(data.sealedSecret)) return "sealedSecret is not an object";
  return null;
}

/** Narrows `data` to a FindingJob after {@link findingJobProblem} said null. */
export function asFindingJob(data: unknown): FindingJob {
  return data as FindingJob;
}
