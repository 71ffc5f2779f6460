/**
 * fragment → prefilter → regex → entropy → placeholder → validator → allowlists → inline allow
 * → finding. Pure computation over one Buffer; positions are resolved only for survivors.
 */
import type { Finding } from "../findings/finding.js";
import { fingerprintOf } from "../findings/fingerprint.js";
import { redactSecret } from "../findings/redact.js";
import { shannonEntropy } from "../lib/entropy.js";
import { sha256Hex } from "../lib/hash.js";
import { type CompiledRule, candidateRules, type Engine, execBuffer, regexTest } from "../rules/compile.js";
import type { Fragment } from "../sources/fragment.js";
import { hasInlineAllow, isAllowlisted, pathAllowed } from "./allowlist.js";
import { isPlaceholder } from "./placeholder.js";
import { PositionMap, utf16Length } from "./position.js";

export interface DetectOptions {
  showSecrets: boolean;
}

const MIN_SECRET_LENGTH = 8;

interface Hit {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  entropy: number;
  validated: boolean | null;
}

/** Length of the rule keyword the secret starts with: the fixed prefix redaction may show. */
function fixedPrefixLength(rule: CompiledRule, secret: string): number {
  const lower = secret.slice(0, 32).toLowerCase();
  let best = 0;
  for (const kw of rule.spec.keywords) if (kw.length > best && lower.startsWith(kw)) best = kw.length;
  return best;
}

function ruleApplies(rule: CompiledRule, path: string): boolean {
  if (rule.path && !regexTest(rule.path, path)) return false;
  return !pathAllowed(rule.allowlists, path);
}

/** Runs one rule over the fragment and keeps the hits that survive every filter. */
function runRule(engine: Engine, rule: CompiledRule, frag: Fragment, pos: PositionMap, out: Hit[]): void {
  const re = rule.regex;
  re.lastIndex = 0;
  for (let m = execBuffer(re, frag.data); m !== null; m = execBuffer(re, frag.data)) {
    if (m.index >= frag.acceptBefore) break;
    if (m.length === 0) {
      re.lastIndex++;
      continue;
    }
    const span = m.indices[rule.group];
    if (!span) continue;
    const [start, end] = span;
    const secret = frag.data.toString("utf8", start, end);
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const entropy = shannonEntropy(secret);
    if (rule.spec.entropy !== undefined && entropy < rule.spec.entropy) continue;
    if (isPlaceholder(secret, fixedPrefixLength(rule, secret))) continue;
    const match = frag.data.toString("utf8", m.index, m.index + m.length);
    let validated: boolean | null = null;
    if (rule.validator) {
      if (!rule.validator({ secret, match, path: frag.path, settings: engine.settings })) continue;
      validated = true;
    }
    let lineCache: string | undefined;
    const line = () => {
      lineCache ??= pos.lineText(start);
      return lineCache;
    };
    const candidate = { secret, match, line, path: frag.path };
    if (isAllowlisted(rule.allowlists, candidate) || isAllowlisted(engine.globalAllowlists, candidate)) continue;
    if (hasInlineAllow(line())) continue;
    out.push({ rule, start, end, secret, entropy, validated });
  }
}

/** A generic rule's hit is dropped when a specific rule found a secret over the same bytes. */
function dropShadowedGeneric(hits: Hit[]): Hit[] {
  const specific = hits.filter((h) => !h.rule.spec.tags.includes("generic"));
  if (specific.length === hits.length) return hits;
  return hits.filter(
    (h) => !h.rule.spec.tags.includes("generic") || !specific.some((s) => s.start < h.end && h.start < s.end),
  );
}

function toFinding(h: Hit, frag: Fragment, pos: PositionMap, opts: DetectOptions): Finding {
  const spec = h.rule.spec;
  const from = pos.locate(h.start);
  const multiLine = frag.data.indexOf(10, h.start) !== -1 && frag.data.indexOf(10, h.start) < h.end;
  const to = multiLine
    ? pos.locate(h.end)
    : { line: from.line, column: from.column + utf16Length(frag.data, h.start, h.end) };
  const secretHash = sha256Hex(h.secret);
  const finding: Finding = {
    ruleId: spec.id,
    provider: spec.provider,
    description: spec.description,
    severity: spec.severity,
    path: frag.path,
    startLine: from.line,
    endLine: to.line,
    startColumn: from.column,
    endColumn: to.column,
    match: opts.showSecrets ? h.secret : redactSecret(h.secret, fixedPrefixLength(h.rule, h.secret)),
    secretHash,
    fingerprint: fingerprintOf(spec.id, secretHash),
    validated: h.validated,
    entropy: h.entropy,
    source: frag.source,
    tags: spec.tags,
  };
  for (const key of ["commit", "author", "email", "date", "repository"] as const) {
    if (frag[key] !== undefined) finding[key] = frag[key];
  }
  return finding;
}

/** Every finding in one fragment, in order of position then rule. */
export function detectFragment(engine: Engine, frag: Fragment, opts: DetectOptions): Finding[] {
  const rules = candidateRules(engine, frag.data);
  if (rules.length === 0) return [];
  if (pathAllowed(engine.globalAllowlists, frag.path)) return [];
  const pos = new PositionMap(frag.data, frag.firstLine, frag.firstColumn);
  const hits: Hit[] = [];
  for (const rule of rules) if (ruleApplies(rule, frag.path)) runRule(engine, rule, frag, pos, hits);
  if (hits.length === 0) return [];
  return dropShadowedGeneric(hits)
    .sort((a, b) => a.start - b.start || a.rule.index - b.rule.index)
    .map((h) => toFinding(h, frag, pos, opts));
}
