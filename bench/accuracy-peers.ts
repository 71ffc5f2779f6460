/**
 * An outside check: leakstop over other scanners' published test cases (SPEC §8: ≥ 95 % of covered
 * positives found, ≤ 1 % of negatives reported).
 *   npm run bench -- accuracy-peers --cases DIR [--list N]
 * DIR holds *.jsonl peer cases (bench/peers/peer-case.ts), kept outside this repository: TruffleHog's
 * come from bench/peers/extract-trufflehog.ts over a checkout, gitleaks' from its own rule examples
 * (BENCHMARKS.md says how). Every miss and false alarm is classified (see MissClass, AlarmClass); a case
 * judged wrong is left out of the figures whatever leakstop did on it (bench/peers/outcome.ts).
 */
import { parseArgs } from "node:util";
import { buildRuleSet } from "../src/config/ruleset.js";
import { type CompiledRule, compileEngine, type Engine } from "../src/detection/compile.js";
import { detectFragment } from "../src/detection/detect.js";
import { execBuffer } from "../src/detection/regex.js";
import type { Finding } from "../src/findings/finding.js";
import { wholeFragment } from "../src/sources/fragment.js";
import { type AlarmClass, leftOut, type MissClass, type Outcome } from "./peers/outcome.js";
import { loadPeerCases, type PeerCase } from "./peers/peer-case.js";
import { printPeerReport } from "./peers/peer-report.js";
import { type ProviderMap, providerMap } from "./peers/provider-map.js";

const MIN_SECRET = 8;

/** A finding is the case's secret when one holds the other (TruffleHog's wants may join id and secret). */
function hits(f: Finding, want: string[], text: string): boolean {
  const s = f.rawSecret ?? "";
  if (want.length === 0) return true;
  return want.some((w) => w.includes(s) || (s.includes(w) && w.length >= MIN_SECRET) || covers(f, text, w));
}

/** Whether the finding's span overlaps a place of `w` in the text (a decoded-view finding reports the decoded value). */
function covers(f: Finding, text: string, w: string): boolean {
  for (let at = text.indexOf(w); at !== -1 && w.length >= MIN_SECRET; at = text.indexOf(w, at + 1)) {
    const before = text.slice(0, at).split(/\r\n|\r|\n/);
    const line = before.length;
    const col = before[before.length - 1]!.length + 1;
    const after = text.slice(0, at + w.length).split(/\r\n|\r|\n/);
    const endLine = after.length;
    const endCol = after[after.length - 1]!.length + 1;
    const startsBeforeEnd = f.startLine < endLine || (f.startLine === endLine && f.startColumn < endCol);
    const endsAfterStart = f.endLine > line || (f.endLine === line && f.endColumn > col);
    if (startsBeforeEnd && endsAfterStart) return true;
  }
  return false;
}

/**
 * Why none of the provider's rules reported the text: the furthest any of them got. A rule none of whose
 * keywords occurs in the text never runs (the prefilter), so its regex matching there says nothing.
 */
function diagnose(rules: CompiledRule[], text: string, settings: Engine["settings"]): MissClass {
  const data = Buffer.from(text, "utf8");
  const lower = text.toLowerCase();
  let matched = false;
  for (const rule of rules) {
    if (rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) continue;
    const re = rule.regex;
    re.lastIndex = 0;
    for (let m = execBuffer(re, data); m; m = execBuffer(re, data)) {
      if (m.length === 0) re.lastIndex++;
      const span = m.indices[rule.group];
      if (!span) continue;
      matched = true;
      const secret = data.toString("utf8", span[0], span[1]);
      const match = data.toString("utf8", m.index, m.index + m.length);
      if (rule.validator?.({ secret, match, path: "peer-case.txt", settings }) === false)
        return "rejected: checksum/structure validator";
    }
  }
  return matched ? "rejected: placeholder, entropy or allowlist" : "covered but missed";
}

const isGeneric = (f: Finding) => f.tags.includes("generic") || f.tags.includes("entropy") || f.provider === "Generic";

/**
 * Negatives of one peer rule that its own scanner reports with another rule (gitleaks lists other
 * Cloudflare formats as negatives of each Cloudflare rule): no scanner-wide negative.
 */
export function positiveElsewhere(cases: PeerCase[]): (c: PeerCase) => boolean {
  const positives = cases.filter((c) => c.kind === "positive");
  return (n) =>
    positives.some(
      (p) =>
        p.source === n.source &&
        p.rule !== n.rule &&
        (p.text === n.text || (p.want ?? []).some((w) => w.length >= MIN_SECRET && n.text.includes(w))),
    );
}

/** What leakstop does on one case and, whatever it does, whether the case is judged and left out. */
export function judge(
  engine: Engine,
  map: ProviderMap,
  elsewhere: (c: PeerCase) => boolean,
  c: PeerCase & { id: string },
): Outcome {
  const provider = map.providerOf(c.rule);
  const frag = wholeFragment(Buffer.from(c.text, "utf8"), { path: c.path ?? "peer-case.txt", source: "stdin" });
  const findings = detectFragment(engine, frag, {
    showSecrets: false,
    revealRules: engine.rules.map((r) => r.spec.id),
  });
  const judged = leftOut(c, elsewhere);
  if (c.kind === "positive") {
    const found = findings.filter((f) => hits(f, c.want ?? [], c.text));
    if (found.length > 0) return { c, provider, findings: found, ok: true, judged };
    if (judged) return { c, provider, findings, ok: false, judged };
    if (!provider) return { c, provider, findings, ok: false, why: "provider not covered" };
    const own = engine.rules.filter((r) => r.spec.provider === provider);
    return { c, provider, findings, ok: false, why: diagnose(own, c.text, engine.settings) };
  }
  if (findings.length === 0) return { c, provider, findings, ok: true, judged };
  if (judged) return { c, provider, findings, ok: false, judged };
  const why: AlarmClass = findings.some((f) => f.provider === provider && !isGeneric(f))
    ? "provider's own rule"
    : findings.some((f) => !isGeneric(f))
      ? "another provider's rule"
      : provider
        ? "generic rule"
        : "generic rule, provider not covered (a negative of that provider's format only)";
  return { c, provider, findings, ok: false, why };
}

export async function runAccuracyPeers(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { cases: { type: "string" }, list: { type: "string", default: "15" } },
  });
  if (!values.cases) {
    process.stderr.write("accuracy-peers: give --cases DIR (a folder of *.jsonl peer cases, kept outside the repo)\n");
    return 2;
  }
  const cases = loadPeerCases(values.cases);
  if (cases.length === 0) {
    process.stderr.write(`accuracy-peers: no cases in ${values.cases}/*.jsonl\n`);
    return 2;
  }
  const ruleSet = buildRuleSet(null, [], { examples: false });
  const engine = compileEngine(ruleSet);
  const map = providerMap(ruleSet.rules);
  const elsewhere = positiveElsewhere(cases);
  printPeerReport(
    cases.map((c) => judge(engine, map, elsewhere, c)),
    Number(values.list),
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAccuracyPeers(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
