/**
 * The labelled accuracy corpus: realistic files of many formats holding true secrets of ~45
 * providers and hard decoys, each recorded by (path, line, secretHash). Independent of the
 * detectors' own examples: every value is generated here from the published formats.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../lib/prng.js";
import { DECOY_MAKERS, type Decoy, minifiedDecoyLine } from "./decoys.js";
import { DIRS, type Format, fileNameFor } from "./filler.js";
import {
  assertPlaced,
  type DecoyRecord,
  decoyRecord,
  type Label,
  labelFor,
  type Manifest,
  writeCorpusFile,
} from "./labels.js";
import { goSum, packageLock, yarnLock } from "./lockfiles.js";
import { sourceMap } from "./minified.js";
import { FileBuilder } from "./render.js";
import { specialFiles } from "./special-files.js";
import { PRIVATE_KEY_MAKERS, RSA_KEY_MAKERS, STRUCTURED_MAKERS } from "./structured.js";
import { type Secret, type SecretMaker, TOKEN_MAKERS } from "./tokens.js";

export const LABELLED_GENERATOR = "labelled-v5";

const FORMATS: Format[] = [
  "env",
  "env",
  "yaml",
  "yaml",
  "json",
  "ts",
  "js",
  "py",
  "py",
  "go",
  "java",
  "tf",
  "dockerfile",
  "md",
  "md",
  "sh",
  "properties",
  "toml",
  "ipynb",
];

/** How many of each: own keys and the generic detector get more, as they matter most. */
function countFor(maker: string, perProvider: number): number {
  if (maker.startsWith("leakstop-")) return perProvider * 2;
  if (maker === "generic" || maker === "database-url") return perProvider * 2;
  if (maker.startsWith("private-key-rsa")) return Math.max(2, perProvider / 2);
  return perProvider;
}

type Item = { maker: string; secret: Secret } | { decoy: Decoy };

function makeItems(rng: Rng, perProvider: number, perDecoy: number): Item[] {
  const makers: Record<string, SecretMaker> = {
    ...TOKEN_MAKERS,
    ...PRIVATE_KEY_MAKERS,
    ...RSA_KEY_MAKERS,
    ...STRUCTURED_MAKERS,
  };
  const items: Item[] = [];
  for (const [maker, make] of Object.entries(makers)) {
    const r = rng.fork(maker);
    for (let i = 0; i < countFor(maker, perProvider); i++) items.push({ maker, secret: make(r) });
  }
  for (const [kind, make] of Object.entries(DECOY_MAKERS)) {
    const r = rng.fork(kind);
    for (let i = 0; i < perDecoy; i++) items.push({ decoy: make(r) });
  }
  return rng.shuffle(items);
}

export interface LabelledOptions {
  root: string;
  seed: string;
  perProvider: number;
  perDecoy: number;
}

/** Generates the corpus into `root` (emptied first) and returns its manifest. */
export function buildLabelledCorpus(opts: LabelledOptions): Manifest {
  rmSync(opts.root, { recursive: true, force: true });
  const rng = new Rng(opts.seed);
  const items = makeItems(rng.fork("items"), opts.perProvider, opts.perDecoy);
  const labels: Label[] = [];
  const decoys: DecoyRecord[] = [];
  const used = new Set<string>();
  let files = 0;
  let bytes = 0;
  const uniquePath = (format: Format) => {
    for (;;) {
      const p = `${rng.pick(DIRS)}/${fileNameFor(rng, format)}`;
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };
  for (let i = 0; i < items.length; ) {
    const format = rng.pick(FORMATS);
    const path = uniquePath(format);
    const fb = new FileBuilder(rng, format);
    fb.filler(rng.range(0, 3));
    const n = rng.range(1, 4);
    const planted: [Label, Secret][] = [];
    for (const item of items.slice(i, i + n)) {
      if ("secret" in item) {
        const s = item.secret;
        const label = labelFor(path, fb.add({ name: s.varName, text: s.text, multiline: s.multiline }), item.maker, s);
        labels.push(label);
        planted.push([label, s]);
      } else {
        const d = item.decoy;
        decoys.push(
          decoyRecord(path, fb.add({ name: d.varName, text: d.text, multiline: d.multiline, ref: d.ref }), d),
        );
      }
      fb.filler(rng.range(1, 3));
    }
    i += n;
    const text = fb.finish();
    for (const [label, secret] of planted) assertPlaced(text, label, secret);
    bytes += writeCorpusFile(opts.root, path, text);
    files++;
  }
  for (const f of specialFiles(rng.fork("special"), Math.max(1, Math.round(opts.perProvider / 3)))) {
    for (const p of f.planted) {
      const label = labelFor(f.path, { line: p.line, endLine: p.endLine }, p.maker, p.secret);
      assertPlaced(f.text, label, p.secret);
      labels.push(label);
    }
    bytes += writeCorpusFile(opts.root, f.path, f.text);
    files++;
  }
  // Clean files: plain code, a lockfile and a minified-looking script, where any finding is a false positive.
  for (let i = 0; i < 40; i++) {
    const format = rng.pick(FORMATS);
    const fb = new FileBuilder(rng, format);
    fb.filler(rng.range(5, 30));
    bytes += writeCorpusFile(opts.root, uniquePath(format), fb.finish());
    files++;
  }
  bytes += writeCorpusFile(opts.root, "package-lock.json", packageLock(rng, 300));
  bytes += writeCorpusFile(opts.root, "yarn.lock", yarnLock(rng, 200));
  bytes += writeCorpusFile(opts.root, "go.sum", goSum(rng, 300));
  bytes += writeCorpusFile(opts.root, "public/vendor.min.js.map", sourceMap(rng, 300_000));
  files += 3;
  const min = Array.from({ length: 200 }, () => minifiedDecoyLine(rng)).join("");
  bytes += writeCorpusFile(opts.root, "public/vendor.min.js", `${min}\n`);
  files += 2;
  return { seed: opts.seed, generator: LABELLED_GENERATOR, files, bytes, labels, decoys };
}

/** Where the accuracy corpus lives by default (git-ignored). */
export const DEFAULT_LABELLED_ROOT = join("bench", ".work", "accuracy-corpus");
