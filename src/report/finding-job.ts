/** Scan findings → FindingJobs: location and metadata, the secretHash, and for revocable rules the sealed secret. */
import type { KeyObject } from "node:crypto";
import type { Finding } from "../findings/finding.js";
import { seal } from "../lib/sealed-box.js";
import { findingIdOf } from "../queue/finding-id.js";
import { type FindingJob, JOB_SCHEMA_VERSION, type LeakLocation } from "../queue/jobs.js";
import { revokerFor } from "../queue/revocable-rules.js";

/** Who reports: the entry point the findings came from. */
export type Reporter = "cli" | "action" | "hook" | "org-scan";

/** Options of {@link toFindingJobs}. */
export interface JobBuildOptions {
  reporter: Reporter;
  /** The server's report public key; without it no secret is sealed (the worker then alerts instead). */
  sealTo: KeyObject | null;
  /** Raw secrets by secretHash (from detachRawSecrets), in-process only. */
  rawSecrets: ReadonlyMap<string, string>;
  /** Default: now. */
  detectedAt?: string;
}

/** What was built: the jobs, and how many revocable secrets went without a seal (no public key). */
export interface BuiltJobs {
  jobs: FindingJob[];
  unsealed: number;
}

function locationOf(f: Finding): LeakLocation {
  const loc: LeakLocation = { source: f.source, path: f.path, startLine: f.startLine, startColumn: f.startColumn };
  if (f.commit !== undefined) loc.commit = f.commit;
  if (f.repository !== undefined) loc.repository = f.repository;
  return loc;
}

/** One job per finding; never the raw secret, only its hash, or sealed for a provider that can revoke it. */
export function toFindingJobs(findings: readonly Finding[], opts: JobBuildOptions): BuiltJobs {
  const detectedAt = opts.detectedAt ?? new Date().toISOString();
  let unsealed = 0;
  const jobs = findings.map((f): FindingJob => {
    const location = locationOf(f);
    const job: FindingJob = {
      v: JOB_SCHEMA_VERSION,
      findingId: findingIdOf(f.secretHash, location),
      secretHash: f.secretHash,
      ruleId: f.ruleId,
      provider: f.provider,
      severity: f.severity,
      validated: f.validated,
      location,
      detectedAt,
      reporter: opts.reporter,
    };
    const raw = revokerFor(f.ruleId) !== null ? opts.rawSecrets.get(f.secretHash) : undefined;
    if (raw !== undefined) {
      if (opts.sealTo) job.sealedSecret = seal(raw, opts.sealTo);
      else unsealed++;
    }
    return job;
  });
  return { jobs, unsealed };
}
