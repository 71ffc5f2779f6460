/** Labels of a generated corpus: where each planted secret and decoy is, by path and line. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { sha256Hex } from "../../src/lib/hash.js";
import type { Decoy } from "./decoys.js";
import type { Placement } from "./render.js";
import type { Secret } from "./tokens.js";

export interface Label {
  path: string;
  line: number;
  endLine: number;
  /** Column (1-based) of the secret's text on `line`, when known. */
  column?: number;
  provider: string;
  maker: string;
  secretHash: string;
  /** Hashes of other spans a detector may report for the same secret. */
  altHashes: string[];
  /** Never the secret: its first 4 characters and its length. */
  preview: string;
}

export interface DecoyRecord {
  path: string;
  line: number;
  endLine: number;
  kind: string;
}

export interface Manifest {
  seed: string;
  generator: string;
  files: number;
  bytes: number;
  labels: Label[];
  decoys: DecoyRecord[];
}

/** Redacted preview of a value: safe to print. */
export function preview(value: string): string {
  return `${value.slice(0, 4)}…(${value.length} chars)`;
}

export function labelFor(path: string, at: Placement, maker: string, s: Secret, column?: number): Label {
  return {
    path,
    line: at.line,
    endLine: at.endLine,
    ...(column !== undefined ? { column } : {}),
    provider: s.provider,
    maker,
    secretHash: sha256Hex(s.secret),
    altHashes: s.alternates.map((a) => sha256Hex(a)),
    preview: preview(s.secret),
  };
}

export function decoyRecord(path: string, at: Placement, d: Decoy): DecoyRecord {
  return { path, line: at.line, endLine: at.endLine, kind: d.kind };
}

/** Writes a file under root, creating its directory. */
export function writeCorpusFile(root: string, rel: string, text: string | Buffer): number {
  const full = join(root, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return Buffer.byteLength(text);
}

/**
 * Self-check of a generator: the label's first line really holds the start of the secret
 * (as written, or with JSON/notebook escaping). Throws on a mislabelled corpus.
 */
export function assertPlaced(fileText: string, label: Label, s: Secret): void {
  const line = fileText.split("\n")[label.line - 1] ?? "";
  const first = s.text.split("\n")[0]!.slice(0, 20);
  const variants = [first, JSON.stringify(first).slice(1, -1), s.secret.slice(0, 20)];
  if (!variants.some((v) => line.includes(v))) {
    throw new Error(`corpus generator bug: ${label.maker} not on ${label.path}:${label.line}`);
  }
}
