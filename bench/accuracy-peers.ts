/**
 * An outside check: leakstop over other scanners' published test cases (SPEC §8: ≥ 95 % of covered
 * positives found, ≤ 1 % of negatives reported).
 *   npm run bench -- accuracy-peers --cases DIR [--list N]
 * DIR holds *.jsonl peer cases (bench/peers/peer-case.ts), kept outside this repository: TruffleHog's
 * come from bench/peers/extract-trufflehog.ts over a checkout, gitleaks' from its own rule examples
 * (BENCHMARKS.md says how). Every miss and false alarm is classified (see MissClass, AlarmClass).
 */
import { parseArgs } from "node:util";
import { buildRuleSet } from "../src/config/ruleset.js";
import { type CompiledRule, compileEngine, type Engine } from "../src/detection/compile.js";
import { detectFragment } from "../src/detection/detect.js";
import { execBuffer } from "../src/detection/regex.js";
import type { Finding } from "../src/findings/finding.js";
import { wholeFragment } from "../src/sources/fragment.js";
import { type JudgedClass, judgedWrong } from "./peers/judged.js";
import { loadPeerCases, type PeerCase } from "./peers/peer-case.js";
import { type ProviderMap, providerMap } from "./peers/provider-map.js";
import { pct } from "./report.js";

type MissClass =
  | "rejected: checksum/structure validator"
  | "rejected: placeholder, entropy or allowlist"
  | "provider not covered"
  | "covered but missed"
  | JudgedClass;
type AlarmClass =
  | "provider's own rule"
  | "another provider's rule"
  | "generic rule"
  | "generic rule, provider not covered (a negative of that provider's format only)"
  | JudgedClass
  | "case itself wrong: a positive of another rule of the same scanner";

interface Outcome {
  c: PeerCase & { id: string };
  provider: string | null;
  findings: Finding[];
  ok: boolean;
  why?: MissClass | AlarmClass;
  note?: string;
}

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

/** Why none of the provider's rules reported the text: the furthest any of them got. */
function diagnose(rules: CompiledRule[], text: string, settings: Engine["settings"]): MissClass {
  const data = Buffer.from(text, "utf8");
  let matched = false;
  for (const rule of rules) {
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
function positiveElsewhere(cases: PeerCase[]): (c: PeerCase) => boolean {
  const positives = cases.filter((c) => c.kind === "positive");
  return (n) =>
    positives.some(
      (p) =>
        p.source === n.source &&
        p.rule !== n.rule &&
        (p.text === n.text || (p.want ?? []).some((w) => w.length >= MIN_SECRET && n.text.includes(w))),
    );
}

function judge(
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
  const judged = judgedWrong(c);
  if (c.kind === "positive") {
    const found = findings.filter((f) => hits(f, c.want ?? [], c.text));
    if (found.length > 0) return { c, provider, findings: found, ok: true };
    if (judged) return { c, provider, findings, ok: false, why: judged.class, note: judged.why };
    if (!provider) return { c, provider, findings, ok: false, why: "provider not covered" };
    const own = engine.rules.filter((r) => r.spec.provider === provider);
    return { c, provider, findings, ok: false, why: diagnose(own, c.text, engine.settings) };
  }
  if (findings.length === 0) return { c, provider, findings, ok: true };
  if (elsewhere(c))
    return {
      c,
      provider,
      findings,
      ok: false,
      why: "case itself wrong: a positive of another rule of the same scanner",
    };
  if (judged) return { c, provider, findings, ok: false, why: judged.class, note: judged.why };
  const why: AlarmClass = findings.some((f) => f.provider === provider && !isGeneric(f))
    ? "provider's own rule"
    : findings.some((f) => !isGeneric(f))
      ? "another provider's rule"
      : provider
        ? "generic rule"
        : "generic rule, provider not covered (a negative of that provider's format only)";
  return { c, provider, findings, ok: false, why };
}

/** Enough of a case to find it again, no secret: its id, test name and the shape of its text. */
function redacted(o: Outcome): string {
  const rules = [...new Set(o.findings.map((f) => f.ruleId))].join(",");
  const want = (o.c.want ?? []).map((w) => `${w.slice(0, 4)}…(${w.length})`).join(" ");
  return `${o.c.id}${o.c.name ? ` "${o.c.name}"` : ""}${want ? ` want ${want}` : ""}${rules ? ` → ${rules}` : ""}${o.note ? ` (${o.note})` : ""}`;
}

function tally<K extends string>(items: Outcome[], key: (o: Outcome) => K): [K, number][] {
  const m = new Map<K, number>();
  for (const o of items) m.set(key(o), (m.get(key(o)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
}

const wrongCase = (o: Outcome) => (o.why ?? "").startsWith("case itself wrong");

/** Found % of covered positives and reported % of negatives, cases judged wrong left out of both. */
function summaryRows(label: string, all: Outcome[]): string {
  const outs = all.filter((o) => !wrongCase(o));
  const pos = outs.filter((o) => o.c.kind === "positive" && o.provider);
  const neg = outs.filter((o) => o.c.kind === "negative");
  const found = pos.filter((o) => o.ok).length;
  const reported = neg.filter((o) => !o.ok).length;
  const uncovered = outs.filter((o) => o.c.kind === "positive" && !o.provider);
  const covNeg = neg.filter((o) => o.provider);
  const covReported = covNeg.filter((o) => !o.ok).length;
  return `| ${label} | ${pos.length} | ${found} | ${pct(pos.length ? found / pos.length : 1)} | ${uncovered.length} (${uncovered.filter((o) => o.ok).length} found anyway) | ${neg.length} | ${reported} | ${pct(neg.length ? reported / neg.length : 0)} | ${covReported}/${covNeg.length} = ${pct(covNeg.length ? covReported / covNeg.length : 0)} | ${all.length - outs.length} |`;
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
  const outs = cases.map((c) => judge(engine, map, elsewhere, c));
  const sources = [...new Set(cases.map((c) => c.source))];
  const head = [
    "| cases | covered positives | found | found % | positives of uncovered providers | negatives | reported | reported % | of covered providers' negatives | judged wrong (left out) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  console.log("\n### Other scanners' published test cases (target ≥ 95 % found, ≤ 1 % reported)\n");
  console.log(
    [
      ...head,
      ...sources.map((s) =>
        summaryRows(
          s,
          outs.filter((o) => o.c.source === s),
        ),
      ),
      summaryRows("all", outs),
    ].join("\n"),
  );

  const misses = outs.filter((o) => !o.ok && o.c.kind === "positive");
  const alarms = outs.filter((o) => !o.ok && o.c.kind === "negative");
  console.log("\n| class | " + sources.join(" | ") + " | all |\n| --- |" + " ---: |".repeat(sources.length + 1));
  for (const [label, set] of [
    ["missed positive", misses],
    ["reported negative", alarms],
  ] as const) {
    for (const [why, n] of tally(set, (o) => o.why!)) {
      const per = sources.map((s) => set.filter((o) => o.why === why && o.c.source === s).length);
      console.log(`| ${label}: ${why} | ${per.join(" | ")} | ${n} |`);
    }
  }

  // Per covered provider, most misses and false alarms first.
  const byProvider = new Map<string, Outcome[]>();
  for (const o of outs) if (o.provider) byProvider.set(o.provider, [...(byProvider.get(o.provider) ?? []), o]);
  const rows = [...byProvider].map(([p, os]) => {
    const pos = os.filter((o) => o.c.kind === "positive");
    const neg = os.filter((o) => o.c.kind === "negative");
    const miss = pos.filter((o) => !o.ok);
    const alarm = neg.filter((o) => !o.ok);
    const classes = tally([...miss, ...alarm], (o) => o.why!)
      .map(([k, n]) => `${k} ×${n}`)
      .join("; ");
    return {
      p,
      bad: miss.length + alarm.length,
      line: `| ${p} | ${pos.length - miss.length}/${pos.length} | ${alarm.length}/${neg.length} | ${classes} |`,
    };
  });
  rows.sort((a, b) => b.bad - a.bad || a.p.localeCompare(b.p));
  console.log("\n| leakstop provider | positives found | negatives reported | why |\n| --- | ---: | ---: | --- |");
  for (const r of rows) if (r.bad > 0) console.log(r.line);
  console.log(`(${rows.filter((r) => r.bad === 0).length} more covered providers: every case right)`);

  const uncovered = tally(
    outs.filter((o) => o.c.kind === "positive" && !o.provider && !o.ok),
    (o) => `${o.c.source.split(" ")[0]}:${o.c.rule}`,
  );
  console.log(
    `\nUncovered peer rules with missed positives (${uncovered.length}): ${uncovered.map(([k, n]) => `${k} ×${n}`).join(", ")}`,
  );
  const found = tally(
    outs.filter((o) => o.c.kind === "positive" && !o.provider && o.ok),
    (o) => `${o.c.source.split(" ")[0]}:${o.c.rule}→${o.findings[0]!.provider}`,
  );
  console.log(
    `\nUncovered peer rules found anyway (alias candidates): ${found.map(([k, n]) => `${k} ×${n}`).join(", ")}`,
  );

  const missedBy = tally(
    misses.filter((o) => o.why === "covered but missed"),
    (o) => `${o.c.source.split(" ")[0]}:${o.c.rule}→${o.provider}`,
  );
  console.log(`\nCovered but missed, by peer rule: ${missedBy.map(([k, x]) => `${k} ×${x}`).join(", ")}`);

  const n = Number(values.list);
  for (const [label, set] of [
    ["Missed positives of covered providers", misses.filter((o) => o.why !== "provider not covered")],
    ["Reported negatives", alarms],
  ] as const) {
    console.log(`\n${label} (first ${n} per class):`);
    for (const [why] of tally(set, (o) => o.why!)) {
      console.log(`- ${why}:`);
      for (const o of set.filter((x) => x.why === why).slice(0, n)) console.log(`  - ${redacted(o)}`);
    }
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAccuracyPeers(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
