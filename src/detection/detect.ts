/**
 * fragment → prefilter → regex → entropy → placeholder → validator → allowlists → inline allow
 * → finding. Pure computation over one Buffer; positions are resolved only for survivors.
 */
import { type FileKind, fileKindOfOrigin } from "../findings/file-kind.js";
import type { Finding } from "../findings/finding.js";
import { fingerprintOf } from "../findings/fingerprint.js";
import { redactSecret } from "../findings/redact.js";
import { secretHashOf } from "../findings/secret-hash.js";
import { shannonEntropy } from "../lib/entropy.js";
import type { RuleKind } from "../rules/rule-spec.js";
import { isPlaceholder } from "../rules/validators/placeholder.js";
import { type Fragment, fragmentOf } from "../sources/fragment.js";
import { hasInlineAllow, isAllowlisted, pathAllowed } from "./allowlist.js";
import { type CompiledRule, type Engine, rulesOfKeywords } from "./compile.js";
import { decodedView, isDecoded, toOriginal } from "./decoded-view.js";
import { notebookView, withPlainQuotes } from "./escaped-quotes.js";
import { brokenIssuerToken } from "./issuer-prefix.js";
import { lockfileView } from "./lockfile-view.js";
import { PositionMap, utf16Length } from "./position.js";
import { type BufferMatch, execBuffer, testBuffer } from "./regex.js";
import { execRelaxed } from "./relaxed-bounds.js";
import { ruleRuns } from "./rule-runs.js";
import { unescapeView } from "./unescape-view.js";
import { keywordPositions, type Range, WINDOW_MIN_TEXT } from "./windows.js";
import type { WorkMeter } from "./work-meter.js";

export interface DetectOptions {
  showSecrets: boolean;
  /** Keyword windows in big texts (default on; off scans every candidate rule over the whole text). */
  windows?: boolean;
  /** Counts the work done (scaling tests); none on the scan path. */
  meter?: WorkMeter;
  /**
   * Rule ids whose findings also carry the raw secret (`rawSecret`), for `scan --report` to seal
   * for a provider's revocation API. Default none. The redacted `match` is unchanged.
   */
  revealRules?: readonly string[];
  /** Collects the ids of `public` rules that recognised a value (the example checker's question). */
  publicSeen?: Set<string>;
}

const MIN_SECRET_LENGTH = 8;

interface Hit {
  rule: CompiledRule;
  rank: number;
  start: number;
  end: number;
  /** Length of the whole regex match: a rule that needed more context is the more specific one. */
  matchLength: number;
  secret: string;
  /** The format's fixed prefix (redaction may show it). */
  prefixLength: number;
  entropy: number;
  validated: boolean | null;
  /** Found in the decoded view (the secret is the decoded value; start/end are the encoded characters). */
  decoded?: boolean;
}

const PEM_HEADER = /^-----BEGIN [A-Z0-9 ]+-----/;

/**
 * The fixed prefix redaction may show: a PEM block's BEGIN line, else the longest rule keyword
 * the secret starts with.
 */
function fixedPrefixLength(rule: CompiledRule, secret: string): number {
  const pem = PEM_HEADER.exec(secret);
  if (pem) return pem[0].length;
  const lower = secret.slice(0, 32).toLowerCase();
  let best = 0;
  for (const kw of rule.spec.keywords) if (kw.length > best && lower.startsWith(kw)) best = kw.length;
  return best;
}

/** A fragment as rules read it (`data`: the unescape view) and as secrets are cut from it (`text`). */
export type ViewedFragment = Fragment & { text: Buffer; raw: Buffer };

/** Byte span a rule's regex matched, whatever it then decided about it, with the rule's rank. */
interface Claim {
  start: number;
  end: number;
  rank: number;
}

/**
 * How specific a rule is, from its kind: 0 the catch-all entropy detector, 1 broad formats any
 * provider may use (JWTs, URL credentials, config-file passwords), 2 a provider's own format, 3 a
 * `public` rule (a value meant to be seen, in the form that makes it so). Where a higher rank
 * recognised some bytes, lower ranks stay silent on them.
 */
const RANKS: Record<RuleKind, number> = { entropy: 0, generic: 1, provider: 2 };
const PUBLIC_RANK = 3;
function rankOf(rule: CompiledRule): number {
  if (rule.spec.public) return PUBLIC_RANK;
  return RANKS[rule.spec.kind] ?? 2;
}

/** The span of the first secret group that took part in the match. */
function secretSpan(m: BufferMatch, groups: number[]): [number, number] | undefined {
  for (const g of groups) if (m.indices[g]) return m.indices[g];
  return undefined;
}

/**
 * The rule's matches in the fragment, or only in `ranges` (keyword windows) when given; offsets are
 * always those of the whole fragment. Matches at or past acceptBefore belong to the next chunk.
 */
function* matchesOf(
  rule: CompiledRule,
  frag: Fragment,
  ranges: Range[] | null,
  meter?: WorkMeter,
): Generator<BufferMatch> {
  const gate = rule.gate;
  const bounds = rule.relaxed?.bounds;
  const exact = () => rule.exactRegex;
  for (const [from, to] of ranges ?? [[0, frag.data.length] as Range]) {
    const text = from === 0 && to === frag.data.length ? frag.data : frag.data.subarray(from, to);
    // Where the gate matches nowhere, neither does the rule (detection/gate-regex.ts); its regex is not even compiled:
    // the last of the checks that skip a rule (detection/rule-runs.ts lists them in order).
    // `rule.gate` is asked again because it turns null once an earlier window's gate let the regex
    // compile: from then on the regex runs alone, as a gate pass would only add work.
    if (gate !== null && rule.gate !== null) {
      if (meter) {
        meter.regexRuns++;
        meter.regexBytes += text.length;
      }
      if (!testBuffer(gate, text)) continue;
    }
    const re = rule.regex;
    re.lastIndex = 0;
    for (;;) {
      const at = re.lastIndex;
      const m = bounds ? execRelaxed(re, bounds, exact, text) : execBuffer(re, text);
      if (meter) {
        meter.regexRuns++;
        meter.regexBytes += (m ? m.index + m.length : text.length) - at;
      }
      if (m === null) break;
      if (m.length === 0) {
        re.lastIndex++;
        continue;
      }
      if (from + m.index >= frag.acceptBefore) return;
      // A value read on the line after its name (`secrets:\n  db-password: V`) may be the next line's own
      // name: the search goes on from the value, not past it, so that line's assignment is matched too.
      const secretAt = secretSpan(m, rule.groups)?.[0];
      if (secretAt !== undefined && secretAt > m.index && text.subarray(m.index, secretAt).includes(0x0a))
        re.lastIndex = secretAt;
      if (from === 0) yield m;
      else
        yield {
          index: m.index + from,
          length: m.length,
          indices: m.indices.map((s) => s && [s[0] + from, s[1] + from]),
        };
    }
  }
}

/**
 * Runs one rule over the fragment and keeps the hits that survive every filter. Every span its
 * regex matched is also recorded in `claimed`: where a provider rule recognised its own format and
 * rejected it (wrong checksum, documented example), broader rules must not report it either.
 */
function runRule(
  engine: Engine,
  rule: CompiledRule,
  frag: ViewedFragment,
  ranges: Range[] | null,
  pos: PositionMap,
  out: Hit[],
  claimed: Claim[],
  meter?: WorkMeter,
  publicSeen?: Set<string>,
): void {
  const rank = rankOf(rule);
  const groups = rule.groups;
  for (const m of matchesOf(rule, frag, ranges, meter)) {
    const span = secretSpan(m, groups);
    if (!span) continue;
    const [start, end] = span;
    if (rank > 0) claimed.push({ start, end, rank });
    if (rank === PUBLIC_RANK) {
      publicSeen?.add(rule.spec.id);
      continue;
    }
    const secret = frag.text.toString("utf8", start, end);
    if (secret.length < MIN_SECRET_LENGTH) continue;
    // Every check below only drops the match, so their order changes no result: the validator goes
    // first, as it rejects most of what the broad rules match (the entropy detector matches
    // `token: e.token`-style code all over minified bundles), before entropy and placeholder work.
    const threshold = rule.spec.entropy;
    let entropy = threshold === undefined ? -1 : shannonEntropy(secret);
    if (threshold !== undefined && entropy < threshold) continue;
    const match = frag.text.toString("utf8", m.index, m.index + m.length);
    let validated: boolean | null = null;
    if (rule.validator) {
      const before = () => frag.text.toString("utf8", pos.lineStart(m.index), m.index);
      const verdict = rule.validator({ secret, match, path: frag.path, settings: engine.settings, before });
      if (verdict === false) continue;
      validated = verdict;
    }
    const prefixLength = fixedPrefixLength(rule, secret);
    if (isPlaceholder(secret, prefixLength)) continue;
    // A provider format's prefix, then a character of no token format: no token (detection/issuer-prefix.ts).
    if (rank === 0 && brokenIssuerToken(engine, secret)) continue;
    if (entropy < 0) entropy = shannonEntropy(secret);
    let lineCache: string | undefined;
    const line = () => {
      lineCache ??= pos.lineText(start);
      return lineCache;
    };
    const candidate = { secret, match, line, path: frag.path };
    if (isAllowlisted(rule.allowlists, candidate) || isAllowlisted(engine.globalAllowlists, candidate)) continue;
    if (hasInlineAllow(line())) continue;
    out.push({ rule, rank, start, end, matchLength: m.length, secret, prefixLength, entropy, validated });
  }
}

/**
 * Whether a claim of rank ≥ minRank overlaps [start, end): claims sorted by start, with the running
 * maximum of their ends, answer each question in O(log n) (a text with thousands of hits would
 * otherwise compare every hit with every claim).
 */
function overlapIndex(
  claimed: readonly Claim[],
  minRank: number,
  meter?: WorkMeter,
): (start: number, end: number) => boolean {
  const list = claimed.filter((c) => c.rank >= minRank).sort((a, b) => a.start - b.start);
  const maxEnd: number[] = [];
  for (const c of list) maxEnd.push(Math.max(c.end, maxEnd[maxEnd.length - 1] ?? -1));
  return (start, end) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      if (meter) meter.shadowChecks++;
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.start < end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1]! > start;
  };
}

function moreSpecific(a: Hit, b: Hit): boolean {
  if ((a.validated === true) !== (b.validated === true)) return a.validated === true;
  return a.matchLength > b.matchLength;
}

/**
 * One finding per secret: a hit is dropped where a rule of higher rank claimed overlapping bytes;
 * of several rules on exactly the same bytes the validated one, else the one whose match used the
 * most context (a "workos … sk_live_…" rule over a bare "sk_live_…" one), is kept.
 */
function dropShadowed(hits: Hit[], claimed: Claim[], meter?: WorkMeter): Hit[] {
  const above = [1, 2, PUBLIC_RANK].map((rank) => overlapIndex(claimed, rank, meter));
  const kept = hits.filter((h) => !above[h.rank]?.(h.start, h.end));
  const best = new Map<string, Hit>();
  for (const h of kept) {
    const key = `${h.start}:${h.end}`;
    const prev = best.get(key);
    if (!prev || moreSpecific(h, prev)) best.set(key, h);
  }
  return best.size === kept.length ? kept : kept.filter((h) => best.get(`${h.start}:${h.end}`) === h);
}

function toFinding(h: Hit, frag: Fragment, pos: PositionMap, opts: DetectOptions, fileKind: FileKind): Finding {
  const spec = h.rule.spec;
  const from = pos.locate(h.start);
  const to = pos.spansLines(h.start, h.end)
    ? pos.locate(h.end)
    : { line: from.line, column: from.column + utf16Length(frag.data, h.start, h.end) };
  const secretHash = secretHashOf(h.secret);
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
    match: opts.showSecrets ? h.secret : redactSecret(h.secret, h.prefixLength),
    secretHash,
    fingerprint: fingerprintOf(spec.id, secretHash),
    validated: h.validated,
    entropy: h.entropy,
    source: frag.source,
    tags: spec.tags,
    fileKind,
  };
  for (const key of ["commit", "author", "email", "date", "repository"] as const) {
    if (frag[key] !== undefined) finding[key] = frag[key];
  }
  if (opts.revealRules?.includes(spec.id)) finding.rawSecret = h.secret;
  return finding;
}

/** What the rules found in one text: the hits that survived their filters, and every span they matched. */
interface Scan {
  hits: Hit[];
  claimed: Claim[];
}

/**
 * Every candidate rule over one text (a fragment, or its decoded view); null when no keyword occurs.
 * `present`: the keyword prefilter's answer for the text, when the caller already has it.
 */
function scanText(
  engine: Engine,
  frag: ViewedFragment,
  pos: PositionMap,
  opts: DetectOptions,
  present: number[] = engine.prefilter.match(frag.data),
): Scan | null {
  const rules = rulesOfKeywords(engine, present);
  if (opts.meter) {
    opts.meter.regexRuns++;
    opts.meter.regexBytes += frag.data.length;
  }
  if (rules.length === 0) return null;
  const scan: Scan = { hits: [], claimed: [] };
  const positions =
    opts.windows !== false && frag.data.length >= WINDOW_MIN_TEXT
      ? keywordPositions(engine, frag.data, present, opts.meter)
      : null;
  // The checks that skip a rule which cannot match here, in one place (detection/rule-runs.ts).
  for (const { rule, ranges } of ruleRuns(engine, rules, frag.data, frag.path, positions, opts.meter)) {
    // A rule's allowlists compile on first use: only for the rules that get this far, most selected ones do not.
    if (pathAllowed(rule.allowlists, frag.path)) continue;
    runRule(engine, rule, frag, ranges, pos, scan.hits, scan.claimed, opts.meter, opts.publicSeen);
  }
  return scan;
}

/**
 * Adds what the rules find in the text's decoded view (detection/decoded-view.ts), at the encoded
 * characters. Where a rule recognised the encoded text itself (a base64 key-file rule, a Docker
 * `auth`), that finding stands and the decoded one is dropped; the catch-all entropy detector's
 * finding on an encoded value gives way to what its decoded value holds.
 */
function addDecoded(engine: Engine, frag: ViewedFragment, pos: PositionMap, scan: Scan, opts: DetectOptions): void {
  const view = decodedView(frag.text, opts.meter);
  if (!view) return;
  const viewFrag: ViewedFragment = {
    ...frag,
    data: view.data,
    text: view.data,
    firstLine: 1,
    firstColumn: 0,
    acceptBefore: view.data.length,
  };
  const found = scanText(engine, viewFrag, new PositionMap(view.data), opts);
  if (!found) return;
  const toSpan = (h: { start: number; end: number }) => toOriginal(view, h.start, h.end);
  for (const c of found.claimed) {
    if (isDecoded(view, c.start, c.end)) scan.claimed.push({ ...c, ...spanOf(toSpan(c)) });
  }
  const decoded = found.hits
    .filter((h) => isDecoded(view, h.start, h.end))
    .map((h): Hit => ({ ...h, ...spanOf(toSpan(h)), decoded: true }))
    .filter((h) => h.start < frag.acceptBefore && !hasInlineAllow(pos.lineText(h.start)));
  if (decoded.length === 0) return;
  // An encoded finding explains a decoded one of no higher rank. A provider's token inside a broad format's
  // value (ghp_… as the password of an HTTP Basic header) is the more specific finding: it stands, and its
  // claim silences the broad one (dropShadowed), so the token is reported once, and not at all when its
  // checksum fails.
  const explainedFrom = [1, 2].map((rank) => overlapIndex(scan.hits, rank, opts.meter));
  const kept = decoded.filter((h) => !explainedFrom[Math.min(Math.max(h.rank, 1), 2) - 1]!(h.start, h.end));
  const replaced = overlapIndex(kept, 0, opts.meter);
  scan.hits = scan.hits.filter((h) => h.rank > 0 || !replaced(h.start, h.end)).concat(kept);
}

const spanOf = ([start, end]: [number, number]) => ({ start, end });

/** A fragment as the rules read it; null when a global allowlist leaves its path out. */
export function viewOf(engine: Engine, original: Fragment, opts: DetectOptions): ViewedFragment | null {
  const plain = withPlainQuotes(lockfileView(original.path, original.data), opts.meter);
  const text = original.path.endsWith(".ipynb") ? notebookView(plain, opts.meter) : plain;
  // Fields in one order for every text (sources/fragment.ts fragmentOf): the engine reads them monomorphically.
  const frag: ViewedFragment = {
    ...fragmentOf(
      original,
      unescapeView(text, opts.meter),
      original.firstLine,
      original.firstColumn,
      original.acceptBefore,
    ),
    text,
    raw: original.data,
  };
  return pathAllowed(engine.globalAllowlists, frag.path) ? null : frag;
}

/** The keywords that occur in a viewed fragment (what `detectViewed` may be given). */
export function keywordsOf(engine: Engine, frag: ViewedFragment): number[] {
  return engine.prefilter.match(frag.data);
}

/** Every finding in one fragment, in order of position then rule. */
export function detectFragment(engine: Engine, original: Fragment, opts: DetectOptions): Finding[] {
  const frag = viewOf(engine, original, opts);
  return frag ? detectViewed(engine, frag, opts) : [];
}

/**
 * detectFragment after `viewOf`; `present` is `keywordsOf(engine, frag)` when the caller ran the
 * prefilter already (scan/text-group.ts runs it over many texts back to back).
 */
export function detectViewed(engine: Engine, frag: ViewedFragment, opts: DetectOptions, present?: number[]): Finding[] {
  const pos = new PositionMap(frag.data, frag.firstLine, frag.firstColumn, opts.meter);
  const scan = scanText(engine, frag, pos, opts, present) ?? { hits: [], claimed: [] };
  addDecoded(engine, frag, pos, scan, opts);
  const { hits, claimed } = scan;
  if (hits.length === 0) return [];
  // The first bytes tell (a generated header, a test framework's import) only when this is the file's start.
  const atStart = frag.firstLine === 1 && frag.firstColumn === 0;
  const fileKind = fileKindOfOrigin(frag, atStart ? frag.raw.subarray(0, 1024) : undefined);
  return dropShadowed(hits, claimed, opts.meter)
    .sort((a, b) => a.start - b.start || a.rule.index - b.rule.index)
    .map((h) => toFinding(h, frag, pos, opts, fileKind));
}
