/**
 * The prebuilt detector bundle (written by `npm run build`) holds exactly what parsing the TOML
 * sources gives, and is never used once a source changed: the loader then parses the TOML files.
 */
import assert from "node:assert/strict";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  type BundlePaths,
  defaultBundlePaths,
  loadBuiltinDetectors,
  readDetectorBundle,
  writeDetectorBundle,
} from "../../../src/rules/detector-bundle.js";
import { builtinDetectorsDir, type DetectorSet, loadDetectorDir } from "../../../src/rules/load-detectors.js";

/** What a JSON round trip keeps (fields set to undefined disappear): the bundle's own view. */
function plain(set: DetectorSet): DetectorSet {
  return JSON.parse(JSON.stringify(set));
}

function tokenRule(id: string, prefix: string, extra = ""): string {
  return `[[rules]]
id = "${id}"
provider = "X"
description = "a test token that opens the test account"
regex = '''\\b(${prefix}_[a-z0-9]{20})\\b'''
keywords = ["${prefix}_"]${extra}
[rules.examples]
positives = ["${prefix}_abcdefghij0123456789"]
negatives = ["${prefix}_short"]
`;
}

/** A detectors folder of three files (one with a global allowlist) and its own bundle. */
function fixture(): { dir: string; paths: BundlePaths } {
  const root = mkdtempSync(join(tmpdir(), "leakstop-bundle-"));
  const dir = join(root, "detectors");
  mkdirSync(dir);
  copyFileSync(join(builtinDetectorsDir(), "_global.toml"), join(dir, "_global.toml"));
  writeFileSync(join(dir, "a.toml"), tokenRule("a-token", "aa"));
  writeFileSync(join(dir, "b.toml"), tokenRule("b-token", "bb"));
  const paths = { rules: join(root, "bundle.json"), examples: join(root, "examples.json") };
  writeDetectorBundle(dir, paths);
  return { dir, paths };
}

describe("detector bundle", () => {
  it("the build's bundle equals the TOML sources, examples included", () => {
    const paths = defaultBundlePaths();
    assert.ok(paths, "tests run from dist/, where the build writes the bundle");
    const bundled = readDetectorBundle(builtinDetectorsDir(), paths, true);
    assert.ok(bundled, "the bundle is present and fresh after npm run build");
    const fromToml = plain(loadDetectorDir(builtinDetectorsDir()));
    assert.ok(fromToml.rules.length > 400);
    assert.deepEqual(bundled, fromToml);
  });

  it("without examples, holds the same rules with empty examples", () => {
    const lean = loadBuiltinDetectors({ examples: false });
    const full = plain(loadDetectorDir(builtinDetectorsDir()));
    assert.deepEqual(
      lean.rules.map((r) => ({ ...r, examples: { positives: [], negatives: [] } })),
      full.rules.map((r) => ({ ...r, examples: { positives: [], negatives: [] } })),
    );
    assert.ok(lean.rules.every((r) => r.examples.positives.length === 0 && r.examples.negatives.length === 0));
  });

  it("reads a rule's record from the file when the rule is first read; a bundle rewritten in place since its index was read is an error, never another rule", () => {
    const { dir, paths } = fixture();
    const set = readDetectorBundle(dir, paths, false);
    assert.ok(set);
    const before = plain(loadDetectorDir(dir)).rules;
    assert.equal(set.rules[0]!.regex, before[0]!.regex, "first record read from the file");
    // Rebuilt with other rules: the build puts a new file in place, and this run keeps reading the
    // one it started with (as under an upgrade, npm i -g, that replaces the package's files).
    writeFileSync(join(dir, "b.toml"), tokenRule("b-token", "bc"));
    writeDetectorBundle(dir, paths);
    assert.equal(set.rules[1]!.regex, before[1]!.regex, "the record of the bundle this run started with");
    // Rewritten where it is (another length, then the same length): the unread record is refused.
    const mid = readDetectorBundle(dir, paths, false);
    assert.ok(mid);
    writeFileSync(paths.rules, `${readFileSync(paths.rules, "utf8")} `);
    assert.throws(() => mid.rules[1]!.regex, /changed while in use/);
    writeDetectorBundle(dir, paths);
    const again = readDetectorBundle(dir, paths, false);
    assert.ok(again);
    const later = new Date(statSync(paths.rules).mtimeMs + 5000);
    utimesSync(paths.rules, later, later);
    assert.throws(() => again.rules[1]!.regex, /changed while in use/);
  });

  it("is used while every source is unchanged, even after a touch", () => {
    const { dir, paths } = fixture();
    assert.deepEqual(readDetectorBundle(dir, paths, true), plain(loadDetectorDir(dir)));
    const later = new Date(statSync(join(dir, "a.toml")).mtimeMs + 5000);
    utimesSync(join(dir, "a.toml"), later, later);
    assert.ok(readDetectorBundle(dir, paths, false), "same bytes, other mtime: still fresh");
  });

  it("is ignored when a source changed, was added or removed; the TOML files are loaded instead", () => {
    const edited = fixture();
    // Same size, other content: only the bytes tell.
    writeFileSync(join(edited.dir, "b.toml"), tokenRule("b-token", "bc"));
    assert.equal(readDetectorBundle(edited.dir, edited.paths, false), null);
    const loaded = loadBuiltinDetectors({ examples: true, dir: edited.dir, bundle: edited.paths });
    assert.match(loaded.rules.find((r) => r.id === "b-token")!.regex, /bc_/);

    const added = fixture();
    writeFileSync(join(added.dir, "c.toml"), tokenRule("c-token", "cc"));
    assert.equal(readDetectorBundle(added.dir, added.paths, false), null);
    const withC = loadBuiltinDetectors({ examples: false, dir: added.dir, bundle: added.paths });
    assert.ok(withC.rules.some((r) => r.id === "c-token"));

    const removed = fixture();
    rmSync(join(removed.dir, "a.toml"));
    assert.equal(readDetectorBundle(removed.dir, removed.paths, false), null);
    const withoutA = loadBuiltinDetectors({ examples: false, dir: removed.dir, bundle: removed.paths });
    assert.deepEqual(
      withoutA.rules.map((r) => r.id),
      ["b-token"],
    );
  });

  it("unchecked (an installed package), the bundle is used as built; another folder is always checked", () => {
    const edited = fixture();
    writeFileSync(join(edited.dir, "a.toml"), tokenRule("a-token", "ab"));
    const trusted = readDetectorBundle(edited.dir, edited.paths, false, false);
    assert.ok(trusted, "not checked: the build's bundle");
    assert.match(trusted.rules.find((r) => r.id === "a-token")!.regex, /aa_/);
    const checked = loadBuiltinDetectors({ examples: false, dir: edited.dir, bundle: edited.paths });
    assert.match(checked.rules.find((r) => r.id === "a-token")!.regex, /ab_/, "another folder is always checked");
  });

  it("is ignored when missing, unreadable, of another format, or its examples belong to other sources", () => {
    const missing = fixture();
    rmSync(missing.paths.rules);
    assert.equal(readDetectorBundle(missing.dir, missing.paths, false), null);
    assert.equal(loadBuiltinDetectors({ examples: false, dir: missing.dir, bundle: missing.paths }).rules.length, 2);

    const garbled = fixture();
    writeFileSync(garbled.paths.rules, "{not json");
    assert.equal(readDetectorBundle(garbled.dir, garbled.paths, false), null);

    const other = fixture();
    writeFileSync(other.paths.rules, JSON.stringify({ format: 999, sources: [], rules: [], allowlists: [] }));
    assert.equal(readDetectorBundle(other.dir, other.paths, false), null);

    const mixed = fixture();
    const second = fixture();
    writeFileSync(join(second.dir, "a.toml"), tokenRule("a-token", "ab"));
    writeDetectorBundle(second.dir, second.paths);
    copyFileSync(second.paths.examples, mixed.paths.examples);
    assert.equal(readDetectorBundle(mixed.dir, mixed.paths, true), null, "examples of other sources");
    assert.ok(readDetectorBundle(mixed.dir, mixed.paths, false), "the rules alone are still fresh");
  });

  it("the build step refuses a detector whose regex RE2 cannot compile, naming file and rule", () => {
    const { dir, paths } = fixture();
    writeFileSync(join(dir, "bad.toml"), tokenRule("bad-token", "zz").replace("\\b(zz_", "(?<=x)(zz_"));
    assert.throws(
      () => writeDetectorBundle(dir, paths),
      (err: { code?: string; message?: string }) =>
        err.code === "LS_RULES_INVALID" && /bad\.toml: rule "bad-token"/.test(err.message ?? ""),
    );
  });
});
