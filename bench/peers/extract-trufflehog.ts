/**
 * Reads TruffleHog's detector pattern tests (pkg/detectors/…/*_test.go, the `{name, input, want}`
 * rows) out of a checkout and writes them as peer cases (JSON lines) for `accuracy-peers`:
 *   node dist/bench/peers/extract-trufflehog.js CHECKOUT OUT.jsonl [--label "trufflehog <commit>"]
 * A row whose `want` lists secrets is a positive, one whose `want` is nil or empty a negative.
 * Only string-valued rows are read (see go-literals.ts); the rest are counted and skipped. The
 * cases are test data of another project: write them outside this repository.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { keyedLiterals, readNames, tokenize } from "./go-literals.js";
import type { PeerCase } from "./peer-case.js";

function* testFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* testFiles(p);
    else if (name.endsWith("_test.go") && !name.endsWith("_integration_test.go")) yield p;
  }
}

export function extractTruffleHog(checkout: string, label: string): { cases: PeerCase[]; skipped: number } {
  const root = join(checkout, "pkg", "detectors");
  const cases: PeerCase[] = [];
  let skipped = 0;
  for (const file of testFiles(root)) {
    const rel = relative(root, file).split(sep);
    if (rel.length < 2) continue; // the detectors package's own tests
    const rule = rel.slice(0, -1).join("/");
    const toks = tokenize(readFileSync(file, "utf8"));
    const names = readNames(toks);
    for (const row of keyedLiterals(toks, names, ["input", "want"])) {
      const input = row.fields.get("input");
      const want = row.fields.get("want");
      const name = row.fields.get("name");
      const wantList = want === null ? [] : want;
      if (typeof input !== "string" || !Array.isArray(wantList) || wantList.some((w) => typeof w !== "string")) {
        skipped++;
        continue;
      }
      if (input.trim() === "") continue;
      cases.push({
        source: label,
        rule,
        kind: wantList.length > 0 ? "positive" : "negative",
        text: input,
        want: wantList as string[],
        name: typeof name === "string" ? name : undefined,
      });
    }
  }
  return { cases, skipped };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { label: { type: "string", default: "trufflehog" } },
  });
  const [checkout, out] = positionals;
  if (!checkout || !out) {
    process.stderr.write("usage: node dist/bench/peers/extract-trufflehog.js CHECKOUT OUT.jsonl [--label L]\n");
    process.exit(2);
  }
  const { cases, skipped } = extractTruffleHog(checkout, values.label);
  writeFileSync(out, cases.map((c) => JSON.stringify(c)).join("\n") + "\n");
  const pos = cases.filter((c) => c.kind === "positive").length;
  process.stderr.write(
    `extract-trufflehog: ${cases.length} cases (${pos} positive, ${cases.length - pos} negative), ${skipped} rows not readable as strings (skipped)\n`,
  );
}
