/**
 * The speed corpus: a few hundred MB of mixed source files, minified bundles with very long
 * lines, source maps and lockfiles, with keys of many providers planted at recorded
 * positions. Deterministic from the seed, and reused while its manifest matches.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../lib/prng.js";
import { treeStats } from "../measure.js";
import { DIRS, type Format, fileNameFor } from "./filler.js";
import { assertPlaced, type Label, labelFor, type Manifest, writeCorpusFile } from "./labels.js";
import { goSum, packageLock, yarnLock } from "./lockfiles.js";
import { minifiedBundle, sourceMap } from "./minified.js";
import { FileBuilder } from "./render.js";
import { PRIVATE_KEY_MAKERS, STRUCTURED_MAKERS } from "./structured.js";
import { type Secret, type SecretMaker, TOKEN_MAKERS } from "./tokens.js";

export const PERF_GENERATOR = "perf-v2";
const MB = 1024 * 1024;
const FORMATS: Format[] = [
  "ts",
  "ts",
  "ts",
  "js",
  "js",
  "py",
  "py",
  "go",
  "go",
  "java",
  "yaml",
  "yaml",
  "json",
  "md",
  "md",
  "env",
  "tf",
  "sh",
  "dockerfile",
  "toml",
];
const ALL_MAKERS: Record<string, SecretMaker> = { ...TOKEN_MAKERS, ...PRIVATE_KEY_MAKERS, ...STRUCTURED_MAKERS };
const BUNDLE_SAFE = Object.keys(TOKEN_MAKERS);

export interface PerfOptions {
  root: string;
  seed: string;
  sizeMb: number;
  /** Planted secrets in ordinary source files. */
  planted: number;
}

function manifestPath(root: string): string {
  return join(root, "..", `${root.split("/").pop()}.manifest.json`);
}

/** Returns the cached manifest when the corpus on disk was built with the same options. */
export function cachedPerfCorpus(opts: PerfOptions): Manifest | null {
  const p = manifestPath(opts.root);
  if (!existsSync(p) || !existsSync(opts.root)) return null;
  const m = JSON.parse(readFileSync(p, "utf8")) as Manifest & { sizeMb?: number; planted?: number };
  const same =
    m.generator === PERF_GENERATOR && m.seed === opts.seed && m.sizeMb === opts.sizeMb && m.planted === opts.planted;
  if (!same) return null;
  const onDisk = treeStats(opts.root);
  return onDisk.files === m.files && onDisk.bytes === m.bytes ? m : null;
}

function bundles(rng: Rng, root: string, scale: number, labels: Label[]): number {
  let bytes = 0;
  const sizes = [1, 2, 3, 4, 5, 6, 8, 10];
  sizes.forEach((mb, i) => {
    const path = `web/dist/assets/chunk-${i}.${rng.chars("0123456789abcdef", 8)}.min.js`;
    const lines = rng.pick([1, 1, 3, 12, 40]);
    const text = minifiedBundle(rng, Math.round(mb * MB * scale), lines, (line, column) => {
      if (!rng.chance(0.5)) return "";
      const maker = rng.pick(BUNDLE_SAFE);
      const s = TOKEN_MAKERS[maker]!(rng);
      const key = s.varName.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const stmt = `var cfg={${key}:"${s.text}"}`;
      labels.push(labelFor(path, { line, endLine: line }, maker, s, column + stmt.indexOf('"') + 1));
      return stmt;
    });
    bytes += writeCorpusFile(root, path, text);
  });
  for (let i = 0; i < 2; i++)
    bytes += writeCorpusFile(root, `web/dist/assets/chunk-${i}.js.map`, sourceMap(rng, Math.round(5 * MB * scale)));
  return bytes;
}

function lockfiles(rng: Rng, root: string, scale: number): number {
  let bytes = 0;
  const n = Math.max(1, Math.round(6 * scale));
  for (let i = 0; i < n; i++) {
    const dir = `packages/pkg-${i}`;
    bytes += writeCorpusFile(root, `${dir}/package-lock.json`, packageLock(rng, 4000));
    if (i % 2 === 0) bytes += writeCorpusFile(root, `${dir}/yarn.lock`, yarnLock(rng, 3000));
    if (i % 3 === 0) bytes += writeCorpusFile(root, `services/svc-${i}/go.sum`, goSum(rng, 2000));
  }
  return bytes;
}

/** One source file of about `target` bytes; plants `secrets` between filler blocks. */
function sourceFile(
  rng: Rng,
  format: Format,
  target: number,
  path: string,
  secrets: [string, Secret][],
  labels: Label[],
): string {
  const fb = new FileBuilder(rng, format);
  const planted: [Label, Secret][] = [];
  const plant = ([maker, s]: [string, Secret]) => {
    const label = labelFor(path, fb.add({ name: s.varName, text: s.text, multiline: s.multiline }), maker, s);
    labels.push(label);
    planted.push([label, s]);
  };
  const plantEvery = Math.max(1, Math.floor(target / 300 / (secrets.length + 1)));
  // Filler blocks are ~300 bytes: count them instead of measuring the text as it grows.
  for (let blocks = 1; (blocks - 1) * 300 < target; blocks++) {
    fb.filler(1);
    if (secrets.length > 0 && blocks % plantEvery === 0) plant(secrets.shift()!);
  }
  for (const s of secrets) plant(s);
  const text = fb.finish();
  for (const [label, s] of planted) assertPlaced(text, label, s);
  return text;
}

/** Builds the corpus into `root` (emptied first); writes and returns the manifest. */
export function buildPerfCorpus(opts: PerfOptions): Manifest {
  rmSync(opts.root, { recursive: true, force: true });
  const rng = new Rng(opts.seed);
  const scale = Math.min(1, opts.sizeMb / 256);
  const labels: Label[] = [];
  let bytes = bundles(rng.fork("bundles"), opts.root, scale, labels);
  bytes += lockfiles(rng.fork("locks"), opts.root, scale);
  const makerNames = Object.keys(ALL_MAKERS);
  const plantRng = rng.fork("plant");
  const target = opts.sizeMb * MB;
  const used = new Set<string>();
  let toPlant = opts.planted;
  while (bytes < target) {
    const format = rng.pick(FORMATS);
    const dir = `${rng.pick(["", "apps/web/", "apps/api/", "libs/shared/", "tools/"])}${rng.pick(DIRS)}`;
    let path = `${dir}/${fileNameFor(rng, format)}`;
    while (used.has(path)) path = `${dir}/${rng.range(0, 9)}${fileNameFor(rng, format)}`;
    used.add(path);
    const size = Math.round(Math.exp(Math.log(500) + rng.next() * (Math.log(60000) - Math.log(500))));
    const secrets: [string, Secret][] = [];
    if (toPlant > 0 && rng.chance(0.05)) {
      const maker = plantRng.pick(makerNames);
      secrets.push([maker, ALL_MAKERS[maker]!(plantRng)]);
      toPlant--;
    }
    bytes += writeCorpusFile(opts.root, path, sourceFile(rng, format, size, path, secrets, labels));
  }
  const manifest = {
    seed: opts.seed,
    generator: PERF_GENERATOR,
    sizeMb: opts.sizeMb,
    planted: opts.planted,
    // What is on disk, so a reused corpus that was touched (a formatter, a stray edit) is rebuilt.
    ...treeStats(opts.root),
    labels,
    decoys: [],
  };
  writeFileSync(manifestPath(opts.root), JSON.stringify(manifest));
  return manifest;
}
