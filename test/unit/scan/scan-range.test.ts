/** `scan --range`: only what each commit of a range adds, at its line, with that commit's metadata. Real git repos. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { scanRange } from "../../../src/scan/scan-range.js";
import { type GitRepo, tempRepos } from "../../helpers/git-repo.js";
import { crcToken, pemPrivateKey } from "../../helpers/secrets.js";

const ruleSet = buildRuleSet(null, []);
const ZERO = "0".repeat(40);
const repo = tempRepos();

async function scan(r: GitRepo, range: string, extra: { baseRefs?: string[] } = {}) {
  return scanRange(ruleSet, { repo: r.dir, range, showSecrets: true, maxFileSize: 0, ...extra });
}

const lines = (...xs: string[]) => `${xs.join("\n")}\n`;

describe("scanRange", () => {
  it("reports only the lines the range adds, at their line, with the commit that added them", async () => {
    const r = repo();
    const old = crcToken("ghp_");
    const added = crcToken("ghp_");
    const c1 = r.commit("first", { files: { "app/config.ts": lines("// config", `const a = "${old}";`) } });
    const c2 = r.commit("second", {
      files: {
        "app/config.ts": lines("// config", `const a = "${old}";`, "", "// more", `export const b = "${added}";`),
      },
      author: { name: "Grace Hopper", email: "grace@example.com" },
      date: "2024-03-01T10:00:00Z",
    });
    const res = await scan(r, `${c1}..${c2}`);
    assert.equal(res.findings.length, 1);
    const f = res.findings[0]!;
    assert.equal(f.match, added);
    assert.equal(f.path, "app/config.ts");
    assert.equal(f.startLine, 5);
    assert.equal(f.startColumn, 19);
    assert.equal(f.source, "range");
    assert.equal(f.commit, c2);
    assert.equal(f.author, "Grace Hopper");
    assert.equal(f.email, "grace@example.com");
    assert.equal(f.date, "2024-03-01T10:00:00+00:00");
    assert.equal(res.stats.commits, 1);
    assert.deepEqual(res.range.notes, []);
  });

  it("each secret is attributed to the commit of the range that added it", async () => {
    const r = repo();
    const c0 = r.commit("base", { files: { "README.md": "hi\n" } });
    const t1 = crcToken("ghp_");
    const t2 = crcToken("ghp_");
    const c1 = r.commit("one", { files: { "a.env": lines(`TOKEN=${t1}`) } });
    const c2 = r.commit("two", { files: { "b.env": lines("X=1", `TOKEN=${t2}`) } });
    const res = await scan(r, `${c0}..HEAD`);
    const got = res.findings.map((f) => [f.match, f.commit, f.path, f.startLine]).sort();
    assert.deepEqual(
      got,
      [
        [t1, c1, "a.env", 1],
        [t2, c2, "b.env", 2],
      ].sort(),
    );
  });

  it("a branch's first push (zero id) scans the commits no other ref has", async () => {
    const r = repo();
    const onMain = crcToken("ghp_");
    r.commit("main", { files: { "main.env": lines(`T=${onMain}`) } });
    r.branch("feature");
    const onBranch = crcToken("ghp_");
    const tip = r.commit("feature", { files: { "feature.env": lines(`T=${onBranch}`) } });
    const res = await scan(r, `${ZERO}..${tip}`);
    assert.deepEqual(
      res.findings.map((f) => f.match),
      [onBranch],
    );
    assert.match(res.range.notes.join("\n"), /new branch/);
  });

  it("a first push with no other ref scans all of the branch's history, and says so", async () => {
    const r = repo();
    const t1 = crcToken("ghp_");
    r.commit("one", { files: { "a.env": lines(`T=${t1}`) } });
    r.commit("two", { files: { "b.txt": "x\n" } });
    const res = await scan(r, `${ZERO}..main`);
    assert.deepEqual(
      res.findings.map((f) => f.match),
      [t1],
    );
    assert.match(res.range.notes.join("\n"), /no other ref known/);
  });

  it("force push: the rewritten commits are scanned; an unknown A falls back with a note, never a crash", async () => {
    const r = repo();
    const base = r.commit("base", { files: { "a.txt": "a\n" } });
    const before = r.commit("old tip", { files: { "b.env": lines(`T=${crcToken("ghp_")}`) } });
    r.git("reset", "-q", "--hard", base);
    const rewritten = crcToken("ghp_");
    const after = r.commit("new tip", { files: { "c.env": lines(`T=${rewritten}`) } });
    const forced = await scan(r, `${before}..${after}`);
    assert.deepEqual(
      forced.findings.map((f) => f.match),
      [rewritten],
    );
    assert.match(forced.range.notes.join("\n"), /not an ancestor/);
    const unknown = await scan(r, `${"1234567".repeat(5)}abcde..${after}`);
    assert.ok(unknown.findings.some((f) => f.match === rewritten));
    assert.match(unknown.range.notes.join("\n"), /not in this repository/);
  });

  it("a merge reports what its conflict resolution adds, not what its parents brought", async () => {
    const r = repo();
    r.commit("base", { files: { "cfg.env": lines("A=1", "B=2", "C=3") } });
    const base = r.head();
    r.branch("feature");
    const onBranch = crcToken("ghp_");
    const branchCommit = r.commit("feature", {
      files: { "cfg.env": lines("A=1", "B=feature", "C=3"), "f.env": lines(`T=${onBranch}`) },
    });
    r.checkout("main");
    r.commit("main", { files: { "cfg.env": lines("A=1", "B=main", "C=3") } });
    const resolved = crcToken("ghp_");
    const merge = r.merge("feature", { files: { "cfg.env": lines("A=1", `B=${resolved}`, "C=3") } });
    const res = await scan(r, `${base}..${merge}`);
    const got = res.findings.map((f) => [f.match, f.commit, f.path, f.startLine]).sort();
    assert.deepEqual(
      got,
      [
        [onBranch, branchCommit, "f.env", 1],
        [resolved, merge, "cfg.env", 2],
      ].sort(),
    );
  });

  it("renames report only the lines added with them; deleted and binary files are skipped quietly", async () => {
    const r = repo();
    const kept = crcToken("ghp_");
    const c1 = r.commit("one", {
      files: { "old/name.env": lines(`KEPT=${kept}`, "X=1"), "gone.txt": "bye\n", "img.bin": Buffer.from([0, 1, 2]) },
    });
    r.rename("old/name.env", "new/name.env");
    const fresh = crcToken("ghp_");
    r.write({
      "new/name.env": lines(`KEPT=${kept}`, "X=1", `FRESH=${fresh}`),
      "gone.txt": null,
      "img.bin": Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`ghp ${crcToken("ghp_")}`)]),
    });
    r.commit("two");
    const res = await scan(r, `${c1}..HEAD`);
    assert.deepEqual(
      res.findings.map((f) => [f.match, f.path, f.startLine]),
      [[fresh, "new/name.env", 3]],
    );
    assert.deepEqual(res.stats.skipped, [{ rel: "img.bin", reason: "binary" }]);
  });

  it("finds a multi-line private key whose lines were added, and secrets in commit messages", async () => {
    const r = repo();
    const c1 = r.commit("one", { files: { "x.txt": "x\n" } });
    const token = crcToken("ghp_");
    const c2 = r.commit(`add deploy key\n\nused token ${token} to test`, { files: { "keys/id_rsa": pemPrivateKey() } });
    const res = await scan(r, `${c1}..${c2}`);
    const pem = res.findings.find((f) => f.path === "keys/id_rsa");
    assert.ok(pem, "the PEM key is found");
    assert.equal(pem.startLine, 1);
    const msg = res.findings.find((f) => f.path === "");
    assert.equal(msg?.match, token);
    assert.equal(msg?.commit, c2);
    assert.equal(msg?.startLine, 3);
    assert.equal(msg?.fileKind, "docs", "a commit message is prose about the change, as a changelog entry");
  });

  it("a wrong checksum is not a finding; leakstop:allow suppresses the line", async () => {
    const r = repo();
    const c1 = r.commit("one", { files: { "x.txt": "x\n" } });
    const good = crcToken("ghp_");
    const bad = good.slice(0, -1) + (good.endsWith("A") ? "B" : "A");
    r.commit("two", { files: { "y.env": lines(`A=${bad}`, `B=${crcToken("ghp_")} # leakstop:allow`) } });
    const res = await scan(r, `${c1}..HEAD`);
    assert.deepEqual(res.findings, []);
  });

  it("lone CR line breaks (classic Mac OS): a secret on an added line is found at its line", async () => {
    const r = repo();
    const c0 = r.commit("base", { files: { "mixed.txt": "a\nb\rc\n", "big.txt": `${"x\r".repeat(150_000)}\n` } });
    const inMac = crcToken("ghp_");
    const appended = crcToken("ghp_");
    const inBig = crcToken("ghp_");
    const c1 = r.commit("cr", {
      files: {
        "mac.txt": `one\rtwo\rTOKEN=${inMac}\r`,
        "mixed.txt": `a\nb\rc\nTOKEN=${appended}\n`,
        "big.txt": `${"x\r".repeat(150_000)}\nTOKEN=${inBig}\n`,
      },
    });
    const res = await scan(r, `${c0}..${c1}`);
    assert.deepEqual(res.findings.map((f) => [f.path, f.match, f.startLine, f.startColumn]).sort(), [
      ["big.txt", inBig, 150_001, 7],
      ["mac.txt", inMac, 3, 7],
      ["mixed.txt", appended, 4, 7],
    ]);
  });

  it("a CR-only file: only the lines the range adds, not the secrets it already held (git sees one line)", async () => {
    const r = repo();
    const [old, moved, fresh, twice] = [crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_")];
    const c0 = r.commit("base", {
      files: { "mac.txt": `one\rT=${old}\rM=${moved}\rD=${twice}\r`, "mixed.txt": `a\nb\rT=${old}\n` },
    });
    const c1 = r.commit("edit", {
      files: {
        "mac.txt": `M=${moved}\rone\rT=${old}\rtwo\rN=${fresh}\rD=${twice}\rD=${twice}\r`,
        "mixed.txt": `a\nb\rT=${old}\rN=${fresh}\n`,
      },
    });
    const res = await scan(r, `${c0}..${c1}`);
    assert.deepEqual(res.findings.map((f) => [f.path, f.startLine, f.match]).sort(), [
      ["mac.txt", 5, fresh],
      // the second copy of a line the file held once is added
      ["mac.txt", 7, twice],
      ["mixed.txt", 4, fresh],
    ]);
  });

  it("a CR-only file in a merge: what it adds relative to every parent, not what one parent brought", async () => {
    const r = repo();
    const [mine, theirs, resolved] = [crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_")];
    const base = r.commit("base", { files: { "mac.txt": "a\rb\r" } });
    r.branch("feature");
    r.commit("feature", { files: { "mac.txt": `a\rb\rF=${theirs}\r` } });
    r.checkout("main");
    r.commit("main", { files: { "mac.txt": `a\rb\rM=${mine}\r` } });
    const merge = r.merge("feature", { files: { "mac.txt": `a\rb\rM=${mine}\rF=${theirs}\rR=${resolved}\r` } });
    const res = await scan(r, `${base}..${merge}`);
    assert.deepEqual(
      res.findings.map((f) => [f.commit === merge, f.startLine, f.match]).sort(),
      [
        [false, 3, mine],
        [false, 3, theirs],
        [true, 5, resolved],
      ].sort(),
    );
  });

  it("a last line that only gains or loses its newline (LF or CRLF) is not added again", async () => {
    // git prints such a line as removed and added, with "\ No newline at end of file".
    const r = repo();
    const [a, b, c, d, e] = [crcToken("ghp_"), crcToken("ghp_"), crcToken("npm_"), crcToken("ghp_"), crcToken("npm_")];
    const c0 = r.commit("base", { files: { "a.env": `A=1\nT=${a}`, "b.env": `T=${b}\n`, "w.ini": `[x]\r\nk=${c}` } });
    const c1 = r.commit("eol", {
      files: { "a.env": `A=1\nT=${a}\nU=${d}\n`, "b.env": `T=${b}`, "w.ini": `[x]\r\nk=${c}\r\nz=${e}\r\n` },
    });
    const res = await scan(r, `${c0}..${c1}`);
    assert.deepEqual(res.findings.map((f) => [f.path, f.startLine, f.match]).sort(), [
      ["a.env", 3, d],
      ["w.ini", 3, e],
    ]);
    // A first push with no other ref: each secret once, at the commit that wrote it.
    const all = await scan(r, `${ZERO}..${c1}`);
    assert.deepEqual(all.findings.map((f) => [f.path, f.startLine, f.commit]).sort(), [
      ["a.env", 2, c0],
      ["a.env", 3, c1],
      ["b.env", 1, c0],
      ["w.ini", 2, c0],
      ["w.ini", 3, c1],
    ]);
  });

  it("a text file that .gitattributes marks -diff or binary is still scanned; a real binary is not", async () => {
    const r = repo();
    const c0 = r.commit("attributes", { files: { ".gitattributes": "*.min.js -diff\npackage-lock.json binary\n" } });
    const [a, b, c] = [crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_")];
    const c1 = r.commit("bundle", {
      files: {
        "dist/app.min.js": `var t="${a}";\n`,
        "package-lock.json": `{\n"t": "${b}"\n}\n`,
        "img.bin": Buffer.concat([Buffer.from([0, 1, 2, 10]), Buffer.from(`T=${c}\n`)]),
      },
    });
    const res = await scan(r, `${c0}..${c1}`);
    assert.deepEqual(res.findings.map((f) => [f.path, f.startLine, f.match]).sort(), [
      ["dist/app.min.js", 1, a],
      ["package-lock.json", 2, b],
    ]);
    assert.deepEqual(res.stats.skipped, [{ rel: "img.bin", reason: "binary" }]);
  });

  it("an unknown B or a malformed range is a one-line error", async () => {
    const r = repo();
    r.commit("one", { files: { "x.txt": "x\n" } });
    await assert.rejects(scan(r, "HEAD..nope"), { code: "LS_GIT_BAD_REVISION" });
    await assert.rejects(scan(r, "HEAD"), { code: "LS_USAGE" });
    await assert.rejects(scan(r, "HEAD...HEAD"), { code: "LS_USAGE" });
  });
});

describe("scanRange: a pushed annotated tag", () => {
  it("scans the tag's message (and its nested tags'), names the tag, its object and tagger; a lightweight tag adds nothing", async () => {
    const r = repo();
    const c = r.commit("base", { files: { "a.txt": "a\n" } });
    const [inner, outer] = [crcToken("ghp_"), crcToken("ghp_")];
    r.tag("inner", { message: `inner\n\n${inner}` });
    r.tag("outer", { message: `outer ${outer}`, at: "inner" });
    r.tag("light");
    const id = (name: string) => r.git("rev-parse", name).trim();
    const res = await scan(r, `${ZERO}..outer`, { baseRefs: ["refs/heads/"] });
    assert.deepEqual(
      res.findings.map((f) => [f.match, f.tag, f.commit, f.path, f.startLine, f.startColumn, f.source]),
      [
        [outer, "outer", id("outer"), "", 1, 7, "range"],
        [inner, "inner", id("inner"), "", 3, 1, "range"],
      ],
    );
    assert.equal(res.findings[0]!.email, "ada@example.com");
    assert.equal(res.stats.commits, 0, "the tagged commit was pushed already");
    assert.match(res.range.notes.join("\n"), /new tag/);
    // The inner tag was there before (a moved tag that nests it): only the outer one is new.
    assert.deepEqual(
      (await scan(r, "inner..outer")).findings.map((f) => f.tag),
      ["outer"],
    );
    assert.deepEqual((await scan(r, `${ZERO}..light`, { baseRefs: ["refs/heads/"] })).findings, []);
    assert.deepEqual((await scan(r, `${c}..${c}`)).findings, []);
  });

  it("a tag of a tree or a blob: no commit, only its message, and a note (never an error)", async () => {
    const r = repo();
    const c = r.commit("base", { files: { "a.txt": "a\n" } });
    const token = crcToken("ghp_");
    r.tag("tree", { at: `${c}^{tree}`, message: `tree ${token}` });
    r.tag("blob", { at: r.blob("HEAD", "a.txt"), message: "clean" });
    const res = await scan(r, `${ZERO}..tree`);
    assert.deepEqual(
      res.findings.map((f) => [f.tag, f.match]),
      [["tree", token]],
    );
    assert.equal(res.stats.commits, 0);
    assert.match(res.range.notes.join("\n"), /tag of no commit/);
    assert.deepEqual((await scan(r, `${ZERO}..blob`)).findings, []);
  });
});
