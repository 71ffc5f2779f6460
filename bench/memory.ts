/**
 * Peak memory of `leakstop scan` on the two shapes that break naive scanners (SPEC §8:
 * ≤ 300 MB RSS whatever the size of a file): one 2 GB file, and one 50 MB minified file on
 * a single line. Both are generated in a temp dir (deleted afterwards), each with a planted
 * key near the end so we also see that the scan really read the whole file.
 *   node dist/bench/memory.js [--size-mb 2048] [--line-mb 50] [-- EXTRA SCAN ARGS]
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sha256Hex } from "../src/lib/hash.js";
import { minifiedBundle } from "./corpus/minified.js";
import { FileBuilder } from "./corpus/render.js";
import { crcToken } from "./corpus/tokens.js";
import { Rng } from "./lib/prng.js";
import { timedRun } from "./measure.js";
import { parseFindings } from "./score.js";

const CLI = fileURLToPath(new URL("../../bin/leakstop.js", import.meta.url));
const MB = 1024 * 1024;

/** A big text file: a 4 MB block of source repeated, a key planted at the start and near the end. */
function writeBigFile(path: string, sizeMb: number, keys: [string, string]): void {
  const rng = new Rng("memory-big");
  const fb = new FileBuilder(rng, "ts");
  while (fb.finish().length < 4 * MB) fb.filler(200);
  const block = Buffer.from(fb.finish());
  const fd = openSync(path, "w");
  writeSync(fd, `const first = "${keys[0]}";\n`);
  for (let written = 0; written < sizeMb * MB; written += block.length) writeSync(fd, block);
  writeSync(fd, `export const GITHUB_TOKEN = "${keys[1]}";\n`);
  closeSync(fd);
}

function writeOneLine(path: string, sizeMb: number, key: string): void {
  const text = minifiedBundle(new Rng("memory-line"), sizeMb * MB, 1).trimEnd();
  const fd = openSync(path, "w");
  writeSync(fd, text);
  writeSync(fd, `;var cfg={githubToken:"${key}"}\n`);
  closeSync(fd);
}

interface MemoryCase {
  name: string;
  dir: string;
  keyHashes: string[];
}

function measure(c: MemoryCase, extra: string[]): string {
  const out = join(c.dir, "..", `${c.name}.json`);
  const r = timedRun(process.execPath, [CLI, "scan", c.dir, "--format", "json", "--no-progress", ...extra], {
    stdoutFile: out,
  });
  if (r.exitCode !== 0 && r.exitCode !== 1) return `| ${c.name} | scan failed (exit ${r.exitCode}) | | | |`;
  const hashes = new Set(parseFindings(readFileSync(out, "utf8")).map((f) => f.secretHash));
  const found = c.keyHashes.filter((h) => hashes.has(h)).length;
  const rss = r.maxRssMb === null ? "–" : r.maxRssMb.toFixed(0);
  return `| ${c.name} | ${rss} | ${(r.wallMs / 1000).toFixed(2)} | ${found}/${c.keyHashes.length} | ${r.maxRssMb !== null && r.maxRssMb <= 300 ? "yes" : "NO"} |`;
}

async function main(): Promise<void> {
  const sep = process.argv.indexOf("--");
  const own = sep < 0 ? process.argv.slice(2) : process.argv.slice(2, sep);
  const extra = sep < 0 ? [] : process.argv.slice(sep + 1);
  const { values } = parseArgs({
    args: own,
    options: { "size-mb": { type: "string", default: "2048" }, "line-mb": { type: "string", default: "50" } },
  });
  const tmp = mkdtempSync(join(tmpdir(), "leakstop-mem-"));
  try {
    const rng = new Rng("memory-keys");
    const keys = [crcToken(rng, "ghp_"), crcToken(rng, "ghp_"), crcToken(rng, "ghp_")] as const;
    const big: MemoryCase = {
      name: `one ${values["size-mb"]} MB file`,
      dir: join(tmp, "big"),
      keyHashes: [sha256Hex(keys[0]), sha256Hex(keys[1])],
    };
    const line: MemoryCase = {
      name: `one ${values["line-mb"]} MB single-line minified file`,
      dir: join(tmp, "line"),
      keyHashes: [sha256Hex(keys[2])],
    };
    mkdirSync(big.dir);
    mkdirSync(line.dir);
    process.stderr.write(`memory: writing test files into ${tmp}...\n`);
    writeBigFile(join(big.dir, "huge.ts"), Number(values["size-mb"]), [keys[0], keys[1]]);
    writeOneLine(join(line.dir, "bundle.min.js"), Number(values["line-mb"]), keys[2]);
    console.log("| case | peak RSS (MB) | wall (s) | planted keys found | ≤ 300 MB |");
    console.log("| --- | ---: | ---: | ---: | --- |");
    for (const c of [line, big]) console.log(measure(c, extra));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`memory: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
