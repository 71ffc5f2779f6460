import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { LeakstopError } from "../lib/errors.js";
import { ioErrorText } from "../lib/io-error.js";
import type { Finding } from "./finding.js";

/** The only baseline format version this build writes and reads. */
export const BASELINE_VERSION = 1;

/** One baseline entry: enough to recognise a finding and for a person to review it; never a secret. */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  path: string;
}

/** The file `--write-baseline` writes. */
export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  tool: "leakstop";
  fingerprints: BaselineEntry[];
}

/**
 * Reads the fingerprints of a baseline. Accepts a leakstop baseline file, or a leakstop
 * `--format json` (array) or `--format jsonl` report, whose fingerprints are then used.
 *
 * @throws LeakstopError LS_IO when the file cannot be read, LS_BASELINE_INVALID when it is none of those
 */
export function readBaseline(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new LeakstopError("LS_IO", `cannot read baseline ${path}: ${ioErrorText(err)}`, { cause: err });
  }
  return fingerprintsOf(parseBaselineText(text, path), path);
}

/**
 * Writes the fingerprints of `findings` as a baseline (one entry per fingerprint, sorted by path,
 * rule and fingerprint so that the file diffs well). Written to a temporary file, then renamed.
 *
 * @throws LeakstopError LS_IO when the file cannot be written
 */
export function writeBaseline(path: string, findings: readonly Finding[]): void {
  const text = `${JSON.stringify(baselineOf(findings), null, 2)}\n`;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { encoding: "utf8", mode: 0o644 });
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw new LeakstopError("LS_IO", `cannot write baseline ${path}: ${ioErrorText(err)}`, { cause: err });
  }
}

/** The baseline document for `findings`, deduplicated by fingerprint (the first path in sort order wins). */
export function baselineOf(findings: readonly Finding[]): BaselineFile {
  const byFingerprint = new Map<string, BaselineEntry>();
  const entries = findings.map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.path }));
  entries.sort(compareEntries);
  for (const entry of entries) {
    if (!byFingerprint.has(entry.fingerprint)) byFingerprint.set(entry.fingerprint, entry);
  }
  return { version: BASELINE_VERSION, tool: "leakstop", fingerprints: [...byFingerprint.values()] };
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return compareText(a.path, b.path) || compareText(a.ruleId, b.ruleId) || compareText(a.fingerprint, b.fingerprint);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON first (baseline or json report); if that fails, JSON Lines (a jsonl report). */
function parseBaselineText(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    if (lines.length < 2) throw invalid(path, "not JSON");
    try {
      return lines.map((line) => JSON.parse(line) as unknown);
    } catch {
      throw invalid(path, "not JSON");
    }
  }
}

function fingerprintsOf(document: unknown, path: string): Set<string> {
  if (Array.isArray(document)) return entriesToSet(document, path, "report entry");
  if (typeof document !== "object" || document === null) throw invalid(path, "expected an object or an array");
  const file = document as Record<string, unknown>;
  if (file.tool !== "leakstop") throw invalid(path, 'missing "tool": "leakstop"');
  if (file.version !== BASELINE_VERSION) {
    throw invalid(path, `unsupported version ${describe(file.version)} (this leakstop reads ${BASELINE_VERSION})`);
  }
  if (!Array.isArray(file.fingerprints)) throw invalid(path, '"fingerprints" is not an array');
  return entriesToSet(file.fingerprints, path, "fingerprints entry");
}

function entriesToSet(entries: unknown[], path: string, what: string): Set<string> {
  const out = new Set<string>();
  entries.forEach((entry, index) => {
    const fingerprint =
      typeof entry === "object" && entry !== null ? (entry as { fingerprint?: unknown }).fingerprint : undefined;
    if (typeof fingerprint !== "string" || !/^[0-9a-f]{8,128}$/.test(fingerprint)) {
      throw invalid(path, `${what} ${index} has no valid "fingerprint"`);
    }
    out.add(fingerprint);
  });
  return out;
}

function invalid(path: string, reason: string): LeakstopError {
  return new LeakstopError("LS_BASELINE_INVALID", `${path} is not a leakstop baseline: ${reason}`);
}

/** A short description of a value for messages; never the value of a string (it could be anything). */
function describe(value: unknown): string {
  return typeof value === "number" ? String(value) : typeof value;
}
