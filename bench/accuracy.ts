/**
 * Accuracy check on a labelled corpus (see docs/accuracy.md):
 *   node dist/bench/accuracy.js [--seed S] [--per-provider N] [--per-decoy N] [--root DIR] [--strict]
 *   npm run bench -- --accuracy [same options]
 * Generates the corpus, runs `leakstop scan --format json`, prints precision, recall and F1
 * overall, for leakstop's own keys and per provider, then every false positive and false
 * negative (path:line, rule, redacted value) for the detector authors.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildLabelledCorpus, DEFAULT_LABELLED_ROOT } from "./corpus/labelled-corpus.js";
import type { Label } from "./corpus/labels.js";
import { prepareWorkDir } from "./lib/workdir.js";
import { pct } from "./report.js";
import { type FalsePositive, parseFindings, ratios, type Score, score } from "./score.js";

const CLI = fileURLToPath(new URL("../../bin/leakstop.js", import.meta.url));

function line(name: string, tp: number, fp: number, fn: number): string {
  const r = ratios(tp, fp, fn);
  return `| ${name} | ${tp} | ${fp} | ${fn} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f1.toFixed(3)} |`;
}

const HEAD = ["| set | TP | FP | FN | precision | recall | F1 |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"];

function isOwn(x: { provider?: string; ruleId?: string }): boolean {
  return x.provider === "leakstop" || (x.ruleId ?? "").startsWith("leakstop");
}

function summary(s: Score): string[] {
  const tpOwn = s.truePositives.filter((t) => isOwn(t.label)).length;
  const fpOwn = s.falsePositives.filter((f) => isOwn(f.finding)).length;
  const fnOwn = s.falseNegatives.filter((l) => isOwn(l)).length;
  const tp = s.truePositives.length;
  const fp = s.falsePositives.length;
  const fn = s.falseNegatives.length;
  return [
    ...HEAD,
    line("all", tp, fp, fn),
    line("third-party + generic", tp - tpOwn, fp - fpOwn, fn - fnOwn),
    line("leakstop own keys", tpOwn, fpOwn, fnOwn),
  ];
}

/** Recall per labelled provider; precision per detector provider (the finding's own field). */
function perProvider(s: Score): string[] {
  const rows = new Map<string, { tp: number; fp: number; fn: number }>();
  const row = (k: string) => rows.get(k) ?? rows.set(k, { tp: 0, fp: 0, fn: 0 }).get(k)!;
  for (const t of s.truePositives) row(t.label.provider).tp++;
  for (const l of s.falseNegatives) row(l.provider).fn++;
  for (const f of s.falsePositives) row(f.finding.provider ?? f.finding.ruleId).fp++;
  const names = [...rows.keys()].sort((a, b) => a.localeCompare(b));
  return [
    "| provider | TP | FP | FN | precision | recall | F1 |",
    HEAD[1]!,
    ...names.map((n) => line(n, row(n).tp, row(n).fp, row(n).fn)),
  ];
}

function listFalseNegatives(fns: Label[]): string[] {
  return fns.map((l) => `- ${l.path}:${l.line}  ${l.maker} (${l.provider})  ${l.preview}`);
}

function listFalsePositives(fps: FalsePositive[]): string[] {
  return fps.map(
    (f) => `- ${f.finding.path}:${f.finding.startLine}  ${f.finding.ruleId}  trap=${f.trap}  ${f.finding.match ?? ""}`,
  );
}

function counts<T>(items: T[], key: (x: T) => string): string {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return (
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ×${n}`)
      .join(", ") || "none"
  );
}

function duplicated(s: Score): Score["truePositives"] {
  return s.truePositives.filter((t) => t.ruleIds.length > 1);
}

function onlyGeneric(s: Score): Score["truePositives"] {
  return s.truePositives.filter((t) => t.label.provider !== "Generic" && t.ruleIds.every((id) => /generic/i.test(id)));
}

/** Runs the whole check; returns the exit code (1 with --strict when a target is missed). */
export async function runAccuracy(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: "string", default: "leakstop-accuracy-1" },
      "per-provider": { type: "string", default: "8" },
      "per-decoy": { type: "string", default: "12" },
      root: { type: "string", default: DEFAULT_LABELLED_ROOT },
      strict: { type: "boolean", default: false },
    },
  });
  prepareWorkDir(resolve("bench/.work"));
  const root = resolve(values.root);
  const manifest = buildLabelledCorpus({
    root,
    seed: values.seed,
    perProvider: Number(values["per-provider"]),
    perDecoy: Number(values["per-decoy"]),
  });
  writeFileSync(`${root}.labels.json`, JSON.stringify(manifest, null, 1));
  const r = spawnSync(process.execPath, [CLI, "scan", root, "--format", "json", "--no-progress"], {
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0 && r.status !== 1) {
    process.stderr.write(`accuracy: leakstop scan exited ${r.status}: ${r.stderr.toString().split("\n")[0]}\n`);
    return 2;
  }
  const s = score(parseFindings(r.stdout.toString()), manifest.labels, manifest.decoys);
  const own = s.truePositives.filter((t) => isOwn(t.label)).length;
  const ownTotal = manifest.labels.filter(isOwn).length;
  const ownFp = s.falsePositives.filter((f) => isOwn(f.finding)).length;
  const third = ratios(
    s.truePositives.length - own,
    s.falsePositives.length - ownFp,
    s.falseNegatives.length - (ownTotal - own),
  );
  const met = third.precision >= 0.97 && third.recall >= 0.95 && own === ownTotal && ownFp === 0;
  const out = [
    `Labelled corpus: ${manifest.files} files, ${(manifest.bytes / 1024).toFixed(0)} KiB, ${manifest.labels.length} secrets, ${manifest.decoys.length} decoys (seed ${manifest.seed}, ${manifest.generator}).`,
    "",
    ...summary(s),
    "",
    `Targets (precision ≥ 0.97, recall ≥ 0.95, own keys 100 % / 0 FP): ${met ? "met" : "NOT met"}. Own-key recall ${pct(ownTotal ? own / ownTotal : 1)}, own-key FP ${ownFp}.`,
    `Matched by location only (secretHash differs from every labelled span): ${counts(
      s.truePositives.filter((t) => t.by === "location"),
      (t) => t.label.maker,
    )}; duplicate findings of a labelled secret: ${s.duplicates} (${counts(duplicated(s), (t) => t.ruleIds.join(" + "))}).`,
    `Not scored: ${s.informational.length} findings of ciphertext (tag "encrypted", e.g. Ansible Vault), informational by design.`,
    `False positives by trap: ${counts(s.falsePositives, (f) => f.trap)}`,
    `False positives by rule: ${counts(s.falsePositives, (f) => f.finding.ruleId)}`,
    `False negatives by generator: ${counts(s.falseNegatives, (l) => l.maker)}`,
    `Found only by the generic detector (no provider rule fired): ${counts(onlyGeneric(s), (t) => t.label.maker)}`,
    "",
    ...perProvider(s),
    "",
    `False negatives (${s.falseNegatives.length}):`,
    ...listFalseNegatives(s.falseNegatives),
    "",
    `False positives (${s.falsePositives.length}):`,
    ...listFalsePositives(s.falsePositives),
  ];
  console.log(out.join("\n"));
  return values.strict && !met ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  runAccuracy(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`accuracy: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
