/**
 * The accuracy-peers report (markdown on stdout): the figures per source over the counted cases,
 * leakstop's misses and false alarms by class, the judged cases by class (left out, with how many
 * leakstop got right anyway), then per provider and the cases themselves, redacted.
 */
import { pct } from "../report.js";
import { figures, type Outcome } from "./outcome.js";

/** Enough of a case to find it again, no secret: its id, test name and the shape of its text. */
function redacted(o: Outcome): string {
  const rules = [...new Set(o.findings.map((f) => f.ruleId))].join(",");
  const want = (o.c.want ?? []).map((w) => `${w.slice(0, 4)}…(${w.length})`).join(" ");
  const note = o.judged?.note;
  return `${o.c.id}${o.c.name ? ` "${o.c.name}"` : ""}${want ? ` want ${want}` : ""}${rules ? ` → ${rules}` : ""}${note ? ` (${note})` : ""}`;
}

function tally<K extends string>(items: Outcome[], key: (o: Outcome) => K): [K, number][] {
  const m = new Map<K, number>();
  for (const o of items) m.set(key(o), (m.get(key(o)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
}

const judgedClass = (o: Outcome) => `${o.c.kind}: ${o.judged!.class}`;
/** leakstop's own result on a case: found a positive, or reported nothing on a negative. */
const rightLabel = (o: Outcome) =>
  o.c.kind === "positive" ? (o.ok ? "found" : "missed") : o.ok ? "not reported" : "reported";

function summaryRow(label: string, outs: Outcome[]): string {
  const f = figures(outs);
  return `| ${label} | ${f.positives} | ${f.found} | ${pct(f.positives ? f.found / f.positives : 1)} | ${f.uncovered} (${f.uncoveredFound} found anyway) | ${f.negatives} | ${f.reported} | ${pct(f.negatives ? f.reported / f.negatives : 0)} | ${f.coveredReported}/${f.coveredNegatives} = ${pct(f.coveredNegatives ? f.coveredReported / f.coveredNegatives : 0)} | ${f.judged} (${f.judgedRight}) |`;
}

function printClasses(outs: Outcome[], sources: string[]): void {
  const counted = outs.filter((o) => !o.judged && !o.ok);
  const cols = sources.join(" | ");
  console.log(`\n| leakstop wrong on a counted case | ${cols} | all |\n| --- |${" ---: |".repeat(sources.length + 1)}`);
  for (const kind of ["positive", "negative"] as const) {
    const set = counted.filter((o) => o.c.kind === kind);
    for (const [why, n] of tally(set, (o) => o.why!)) {
      const per = sources.map((s) => set.filter((o) => o.why === why && o.c.source === s).length);
      console.log(
        `| ${kind === "positive" ? "missed positive" : "reported negative"}: ${why} | ${per.join(" | ")} | ${n} |`,
      );
    }
  }
  const judged = outs.filter((o) => o.judged);
  console.log(
    `\nJudged wrong and left out of both figures, whatever leakstop did (bench/peers/judged.ts, bench/peers/outcome.ts):\n\n| judged case | ${cols} | all | leakstop right | leakstop wrong |\n| --- |${" ---: |".repeat(sources.length + 3)}`,
  );
  for (const [cls, n] of tally(judged, judgedClass)) {
    const set = judged.filter((o) => judgedClass(o) === cls);
    const per = sources.map((s) => set.filter((o) => o.c.source === s).length);
    const right = set.filter((o) => o.ok).length;
    console.log(`| ${cls} | ${per.join(" | ")} | ${n} | ${right} | ${n - right} |`);
  }
}

/** Per covered provider, most counted misses and false alarms first; judged cases beside them. */
function printProviders(outs: Outcome[]): void {
  const byProvider = new Map<string, Outcome[]>();
  for (const o of outs) if (o.provider) byProvider.set(o.provider, [...(byProvider.get(o.provider) ?? []), o]);
  const rows = [...byProvider].map(([p, os]) => {
    const counted = os.filter((o) => !o.judged);
    const judged = os.filter((o) => o.judged);
    const pos = counted.filter((o) => o.c.kind === "positive");
    const neg = counted.filter((o) => o.c.kind === "negative");
    const miss = pos.filter((o) => !o.ok);
    const alarm = neg.filter((o) => !o.ok);
    const classes = tally([...miss, ...alarm], (o) => o.why!)
      .map(([k, n]) => `${k} ×${n}`)
      .join("; ");
    const j = judged.length ? `${judged.length} (${judged.filter((o) => o.ok).length} right)` : "";
    return {
      p,
      bad: miss.length + alarm.length,
      judged: judged.length,
      line: `| ${p} | ${pos.length - miss.length}/${pos.length} | ${alarm.length}/${neg.length} | ${j} | ${classes} |`,
    };
  });
  rows.sort((a, b) => b.bad - a.bad || b.judged - a.judged || a.p.localeCompare(b.p));
  console.log(
    "\n| leakstop provider | positives found | negatives reported | judged, left out | why (counted cases) |\n| --- | ---: | ---: | ---: | --- |",
  );
  for (const r of rows) if (r.bad > 0 || r.judged > 0) console.log(r.line);
  console.log(`(${rows.filter((r) => r.bad === 0 && r.judged === 0).length} more covered providers: every case right)`);
}

function printPeerRules(outs: Outcome[]): void {
  const counted = outs.filter((o) => !o.judged);
  const peer = (o: Outcome) => `${o.c.source.split(" ")[0]}:${o.c.rule}`;
  const uncovered = tally(
    counted.filter((o) => o.c.kind === "positive" && !o.provider && !o.ok),
    peer,
  );
  console.log(
    `\nUncovered peer rules with missed positives (${uncovered.length}): ${uncovered.map(([k, n]) => `${k} ×${n}`).join(", ")}`,
  );
  const found = tally(
    counted.filter((o) => o.c.kind === "positive" && !o.provider && o.ok),
    (o) => `${peer(o)}→${o.findings[0]!.provider}`,
  );
  console.log(
    `\nUncovered peer rules found anyway (alias candidates): ${found.map(([k, n]) => `${k} ×${n}`).join(", ")}`,
  );
  const missedBy = tally(
    counted.filter((o) => o.why === "covered but missed"),
    (o) => `${peer(o)}→${o.provider}`,
  );
  console.log(`\nCovered but missed, by peer rule: ${missedBy.map(([k, x]) => `${k} ×${x}`).join(", ")}`);
}

/** The whole report; `list` cases per class are listed. */
export function printPeerReport(outs: Outcome[], list: number): void {
  const sources = [...new Set(outs.map((o) => o.c.source))];
  console.log("\n### Other scanners' published test cases (target ≥ 95 % found, ≤ 1 % reported)\n");
  console.log(
    [
      "| cases | covered positives | found | found % | positives of uncovered providers | negatives | reported | reported % | of covered providers' negatives | judged wrong, left out (leakstop right on) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...sources.map((s) =>
        summaryRow(
          s,
          outs.filter((o) => o.c.source === s),
        ),
      ),
      summaryRow("all", outs),
    ].join("\n"),
  );
  printClasses(outs, sources);
  printProviders(outs);
  printPeerRules(outs);

  const counted = outs.filter((o) => !o.judged && !o.ok);
  for (const [label, set, key] of [
    [
      "Missed positives of covered providers",
      counted.filter((o) => o.c.kind === "positive" && o.why !== "provider not covered"),
      (o: Outcome) => o.why!,
    ],
    ["Reported negatives", counted.filter((o) => o.c.kind === "negative"), (o: Outcome) => o.why!],
    [
      "Judged cases, left out (those leakstop got right first)",
      outs.filter((o) => o.judged).sort((a, b) => Number(b.ok) - Number(a.ok)),
      judgedClass,
    ],
  ] as const) {
    console.log(`\n${label} (first ${list} per class):`);
    for (const [why] of tally(set, key)) {
      console.log(`- ${why}:`);
      for (const o of set.filter((x) => key(x) === why).slice(0, list))
        console.log(`  - ${o.judged ? `[${rightLabel(o)}] ` : ""}${redacted(o)}`);
    }
  }
}
