/**
 * The built-in detectors, precompiled at build time. `detectors/*.toml` stay the only source of
 * truth; `npm run build` (and so `npm ci`, through `prepare`) validates them once and writes two
 * JSON files into dist/: the rules without their examples (what a scan reads) and the examples
 * (only `rules test` and the tests read them). Each records the name, size, mtime and SHA-256 of
 * every TOML file it came from; a bundle that is missing, of another format, or stale (a file
 * added, removed or changed since the build) is ignored and the TOML files are parsed instead, so
 * an edited detector is never silently shadowed by an old bundle. That check stats every TOML file
 * (~280) at every start: an installed package (no .git at its root: from the registry or a
 * tarball, where nobody edits detectors/) skips it and trusts its build.
 *
 * The rules file is one line of JSON (sources, global allowlists and an index: each rule's id,
 * keywords, origin, validator and the length of its record), a newline, then every rule's own JSON
 * record back to back. A start-up parses the line only; a rule's record is parsed when the rule is
 * first read (rules/lazy-rule.ts), and a scan reads only the rules whose keywords occur.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  type Stats,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LeakstopError } from "../lib/errors.js";
import { sha256Hex } from "../lib/hash.js";
import { sameMtime } from "../lib/npm-packed.js";
import { sizeMtime } from "../lib/size-mtime.js";
import { markBuildChecked } from "./build-checked.js";
import { HINTS_KEY, lazyRule, type RecordSource, type RuleIndexEntry } from "./lazy-rule.js";
import { builtinDetectorsDir, type DetectorSet, loadDetectorDir } from "./load-detectors.js";
import { checkAllowlist, checkRuleRegexes } from "./regex-check.js";
import type { RuleSpec } from "./rule-spec.js";
import { Problems, throwProblems } from "./toml-schema.js";

/** Bumped whenever the bundle's shape or the meaning of a RuleSpec field changes. */
const BUNDLE_FORMAT = 4;

/** One TOML file the bundle was built from: name, size, mtime (ms) and SHA-256 of its bytes. */
type SourceStamp = [name: string, size: number, mtimeMs: number, sha256: string];

/** A rule in the index: id, keywords, origin, validator (0: none), length of its record. */
type IndexEntry = [id: string, keywords: string[], origin: string, validator: string | 0, length: number];

/** The rules file's first line; the records follow it, in index order. */
interface RulesBundle {
  format: number;
  sources: SourceStamp[];
  allowlists: DetectorSet["allowlists"];
  index: IndexEntry[];
}

interface ExamplesBundle {
  format: number;
  /** SHA-256 of the rules bundle's sources, so examples never pair with other rules. */
  sourcesDigest: string;
  /** In rule order: [positives, negatives]. */
  examples: [string[], string[]][];
}

export interface BundlePaths {
  rules: string;
  examples: string;
}

/** Where the build writes the bundle: dist/, next to dist/src (null when not running from dist/). */
export function defaultBundlePaths(): BundlePaths | null {
  const here = fileURLToPath(new URL(".", import.meta.url));
  if (!here.includes(`${"/"}dist${"/"}`)) return null;
  const dist = join(here, "../..");
  return { rules: join(dist, "detectors.bundle"), examples: join(dist, "detectors.examples.json") };
}

function tomlNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".toml"))
    .sort();
}

const sha256 = sha256Hex;

function stampsOf(dir: string): SourceStamp[] {
  return tomlNames(dir).map((name) => {
    const file = join(dir, name);
    const st = statSync(file);
    return [name, st.size, st.mtimeMs, sha256(readFileSync(file))];
  });
}

/**
 * Validates the detectors of `dir` as a scan would (schema, then every regex compiled in RE2) and
 * writes the bundle. Throws LS_RULES_INVALID, naming the file and rule, when a detector is wrong.
 * @param hints what the engine works out from a rule before searching with it, stored in the
 *   rule's record for the engine (rules/lazy-rule.ts: `buildHintsOf`); the build passes
 *   detection/search-hints.ts' `searchHintsOf`
 */
export function writeDetectorBundle(
  dir: string,
  paths: BundlePaths,
  hints?: (rule: RuleSpec) => unknown,
): { rules: number; files: number } {
  const sources = stampsOf(dir);
  const set = loadDetectorDir(dir);
  const p = new Problems();
  for (const rule of set.rules) checkRuleRegexes(rule, p);
  for (const a of set.allowlists) checkAllowlist(a, "global", p);
  throwProblems(p, "LS_RULES_INVALID");
  const records = set.rules.map(({ examples: _e, ...rule }) =>
    asciiJson(hints ? { ...rule, [HINTS_KEY]: hints(rule as RuleSpec) } : rule),
  );
  const index = set.rules.map((r, i): IndexEntry => [r.id, r.keywords, r.origin, r.validator ?? 0, records[i]!.length]);
  const bundle: RulesBundle = { format: BUNDLE_FORMAT, sources, allowlists: set.allowlists, index };
  const examples: ExamplesBundle = {
    format: BUNDLE_FORMAT,
    sourcesDigest: sha256(JSON.stringify(sources)),
    examples: set.rules.map((r) => [r.examples.positives, r.examples.negatives]),
  };
  // Written aside, then renamed into place: a run reading the old file (its descriptor) keeps reading it.
  writeAside(paths.rules, `${asciiJson(bundle)}\n${records.join("")}`);
  writeAside(paths.examples, asciiJson(examples));
  return { rules: records.length, files: sources.length };
}

function writeAside(path: string, text: string): void {
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, text);
  renameSync(aside, path);
}

/**
 * JSON with every non-ASCII character escaped: a single one (a "…" in a description) would make
 * the whole file a two-byte string when read, which node decodes and V8 parses about twice as slowly.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** True when every TOML file of `dir` is the one the bundle was built from (same name and bytes). */
function isFresh(dir: string, sources: SourceStamp[]): boolean {
  const names = tomlNames(dir);
  if (names.length !== sources.length) return false;
  const prefix = join(dir, "/"); // then plain concatenation: path.join for each of ~280 names costs ms
  return sources.every(([name, size, mtimeMs, hash], i) => {
    if (names[i] !== name) return false;
    const file = prefix + name;
    const [actualSize, actualMtimeMs] = sizeMtime(file);
    if (actualSize !== size) return false;
    // Same size, other mtime (a checkout, a touch): compare the bytes before trusting the bundle.
    return sameMtime(actualMtimeMs, mtimeMs) || sha256(readFileSync(file)) === hash;
  });
}

/** Every rule's examples when they are not loaded (only `rules test` and the tests read them). */
const NO_EXAMPLES: RuleSpec["examples"] = Object.freeze({
  positives: Object.freeze([]) as unknown as string[],
  negatives: Object.freeze([]) as unknown as string[],
});

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** Bytes read at a time while looking for the end of the rules file's first line. */
const LINE_CHUNK = 128 * 1024;

/** The file's identity when its index was read: a record is read only from that same file. */
interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** Bytes [start, end) of the open file `fd`, as a one-byte string (the bundle is ASCII by construction). */
function readSpan(fd: number, start: number, end: number): string {
  const buf = Buffer.allocUnsafe(end - start);
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return buf.toString("latin1", 0, got);
}

/**
 * The rules file's records, read when a rule is first read: a pre-commit hook parses ~10 of ~670
 * rules, and reading the whole file (1.1 MB, then a string of it) cost ~600 page faults and two
 * copies of it at every commit. They are read through `fd`, the file whose index was parsed, kept
 * open for the run: a build or an upgrade (`npm i -g`) that puts a new file in its place (the build
 * writes it aside and renames it) leaves this run reading the file it started with. A file rewritten
 * where it is (another size or mtime) is an error, never another rule's bytes. Past a few dozen
 * records (a tree scan), or when a worker pool needs the text, the whole file is read once.
 */
function fileRecords(file: string, fd: number, stamp: FileStamp): RecordSource {
  let whole: string | null = null;
  let reads = 0;
  const open = <T>(use: (fd: number) => T): T => {
    const st = fstatSync(fd);
    if (st.size !== stamp.size || st.mtimeMs !== stamp.mtimeMs)
      throw new LeakstopError("LS_RULES_INVALID", `${file} changed while in use (a build?); run again`);
    return use(fd);
  };
  const source: RecordSource = {
    slice(start, end) {
      if (whole === null && ++reads > 32) source.whole();
      return whole !== null ? whole.slice(start, end) : open((fd) => readSpan(fd, start, end));
    },
    whole() {
      whole ??= open((fd) => readSpan(fd, 0, stamp.size));
      return whole;
    },
  };
  return source;
}

/** The rules file's first line parsed, where the records start, and its records (null when unreadable or not JSON). */
function readRulesFile(file: string): { records: RecordSource; eol: number; size: number; bundle: RulesBundle } | null {
  try {
    const { fd, st } = openRulesFile(file);
    let line = "";
    let eol = -1;
    while (eol === -1 && line.length < st.size) {
      const chunk = readSpan(fd, line.length, Math.min(st.size, line.length + LINE_CHUNK));
      if (chunk.length === 0) break;
      const nl = chunk.indexOf("\n");
      if (nl !== -1) eol = line.length + nl;
      line += chunk;
    }
    if (eol === -1) return null;
    const bundle = JSON.parse(line.slice(0, eol)) as RulesBundle;
    return { records: fileRecords(file, fd, st), eol, size: st.size, bundle };
  } catch {
    return null;
  }
}

/**
 * Rules files open in this process, by path: their records are read through the descriptor for the
 * process' life (see {@link fileRecords}). Loading the same file again uses the same descriptor; a
 * file replaced since (a build, an upgrade) gets one of its own, so a long-lived process holds one
 * per version it loaded, not one per load.
 */
const openFiles = new Map<string, { fd: number; st: Stats }>();

function openRulesFile(file: string): { fd: number; st: Stats } {
  const known = openFiles.get(file);
  if (known) {
    const now = statSync(file);
    const then = known.st;
    if (now.ino === then.ino && now.dev === then.dev && now.size === then.size && now.mtimeMs === then.mtimeMs)
      return known;
  }
  const fd = openSync(file, "r");
  try {
    const opened = { fd, st: fstatSync(fd) };
    openFiles.set(file, opened);
    return opened;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * The bundled detectors of `dir`, or null when the bundle is missing, of another format or stale
 * (the caller then parses the TOML files). Without `examples`, every rule's examples are empty.
 * @param checkSources compare the TOML files with the ones the bundle was built from (default true)
 */
export function readDetectorBundle(
  dir: string,
  paths: BundlePaths,
  examples: boolean,
  checkSources = true,
): DetectorSet | null {
  const file = readRulesFile(paths.rules);
  return file ? bundledSet(file, dir, paths, examples, checkSources) : null;
}

function bundledSet(
  file: NonNullable<ReturnType<typeof readRulesFile>>,
  dir: string,
  paths: BundlePaths,
  examples: boolean,
  checkSources: boolean,
): DetectorSet | null {
  const bundle = file.bundle;
  if (!bundle || bundle.format !== BUNDLE_FORMAT || !Array.isArray(bundle.sources)) return null;
  if (!Array.isArray(bundle.index)) return null;
  try {
    if (checkSources && !isFresh(dir, bundle.sources)) return null;
  } catch {
    return null;
  }
  let pairs: ExamplesBundle["examples"] | null = null;
  if (examples) {
    const ex = readJson(paths.examples) as ExamplesBundle | null;
    const digest = sha256(JSON.stringify(bundle.sources));
    if (!ex || ex.format !== BUNDLE_FORMAT || ex.sourcesDigest !== digest) return null;
    if (ex.examples.length !== bundle.index.length) return null;
    pairs = ex.examples;
  }
  // Each rule is parsed when first read (rules/lazy-rule.ts); the build checked every one.
  let at = file.eol + 1;
  const rules = bundle.index.map(([id, keywords, origin, validator, length], i) => {
    const entry: RuleIndexEntry = { id, keywords, origin, examples: NO_EXAMPLES };
    if (validator !== 0) entry.validator = validator;
    if (pairs) entry.examples = { positives: pairs[i]![0], negatives: pairs[i]![1] };
    const rule = lazyRule(entry, file.records, at, at + length, true);
    at += length;
    return rule;
  });
  if (at !== file.size) return null;
  // The build checked the global allowlists' regexes too (checkAllowlist): the engine compiles them on first use.
  markBuildChecked(bundle.allowlists);
  return { rules, allowlists: bundle.allowlists };
}

export interface BuiltinLoadOptions {
  /** Load every rule's examples too (`rules test`, the tests); a scan does without them. */
  examples: boolean;
  /** Folder of the TOML sources (default: the package's detectors/). */
  dir?: string;
  /** Bundle files (default: {@link defaultBundlePaths}); null = always parse the TOML files. */
  bundle?: BundlePaths | null;
  /**
   * Check the bundle against the TOML files (default: unless the package's own bundle and TOML
   * files are used and the package is installed, not a git checkout).
   */
  checkSources?: boolean;
}

/** True when the package folder (dist/..) is a git checkout (a work tree or a linked worktree). */
function isGitCheckout(paths: BundlePaths): boolean {
  return existsSync(join(paths.rules, "../../.git"));
}

/** The built-in detectors: from the build's bundle when it is fresh, else from the TOML files. */
export function loadBuiltinDetectors(opts: BuiltinLoadOptions): DetectorSet {
  const dir = opts.dir ?? builtinDetectorsDir();
  const paths = opts.bundle === undefined ? defaultBundlePaths() : opts.bundle;
  if (!paths) return loadDetectorDir(dir);
  const own = opts.dir === undefined && opts.bundle === undefined;
  const check = opts.checkSources ?? (!own || isGitCheckout(paths));
  return readDetectorBundle(dir, paths, opts.examples, check) ?? loadDetectorDir(dir);
}
