/**
 * Delta scans of history (each blob scanned only where it changes the version it replaced) give
 * exactly the findings of whole-blob scans: a secret added in an edit of a big file, a PEM key
 * with some of its lines edited, a secret deleted then reintroduced, a revert, a rename, a merge's
 * conflict resolution, and a random history of edits, all with real git.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../../../src/detection/compile.js";
import { detectFragment } from "../../../src/detection/detect.js";
import type { Finding } from "../../../src/findings/finding.js";
import { scanHistory } from "../../../src/scan/scan-history.js";
import { wholeFragment } from "../../../src/sources/fragment.js";
import { tempRepos } from "../../helpers/git-repo.js";
import { crcToken, pemPrivateKey } from "../../helpers/secrets.js";

const ruleSet = buildRuleSet(null, []);
const base = { showSecrets: true, maxFileSize: 0 };
const newRepo = tempRepos();

/** `n` lines of filler no rule reacts to, distinct per `tag`. */
function filler(n: number, tag: string): string[] {
  return Array.from({ length: n }, (_, i) => `${tag} row ${i}: the quick brown fox jumps over the lazy dog`);
}

const text = (ls: string[]) => `${ls.join("\n")}\n`;
const where = (fs: Finding[]) => fs.map((f) => [f.ruleId, f.match, f.commit, f.path, f.startLine, f.startColumn]);

/**
 * Scans with and without deltas, checks they agree, returns the findings. Delta scans run in this
 * thread, in two workers with batches of a few texts (a file's versions then span batches and
 * workers, so a reader often lacks the version it was handed as a base).
 */
async function scanBoth(dir: string): Promise<{ findings: Finding[]; rescanned: number }> {
  const whole = await scanHistory(ruleSet, { ...base, repo: dir, threads: 1, delta: false });
  const delta = await scanHistory(ruleSet, { ...base, repo: dir, threads: 1 });
  const pooled = await scanHistory(ruleSet, { ...base, repo: dir, threads: 2, inProcessBelow: 0, batchItems: 3 });
  assert.deepEqual(where(delta.findings), where(whole.findings), "delta scan = whole-blob scan");
  assert.deepEqual(where(pooled.findings), where(whole.findings), "worker threads = in process");
  return { findings: delta.findings, rescanned: delta.stats.rescanned };
}

describe("history delta scans", () => {
  it("finds a secret added in a one-line edit of a big file, at that commit and line", async () => {
    const repo = newRepo();
    const lines = filler(2000, "big");
    repo.commit("big file", { files: { "big.txt": text(lines) } });
    for (let i = 0; i < 3; i++) {
      lines[100 + i * 300] = `edited ${i}`;
      repo.commit(`edit ${i}`, { files: { "big.txt": text(lines) } });
    }
    const token = crcToken("ghp_");
    lines.splice(1200, 0, `TOKEN=${token}`);
    const intro = repo.commit("add token", { files: { "big.txt": text(lines) } });
    for (let i = 0; i < 3; i++) {
      lines[1900 - i] = `later ${i}`;
      repo.commit(`later ${i}`, { files: { "big.txt": text(lines) } });
    }
    const { findings, rescanned } = await scanBoth(repo.dir);
    assert.deepEqual(where(findings), [["github-pat", token, intro, "big.txt", 1201, 7]]);
    assert.ok(rescanned >= 3, `the later versions built on the finding are rescanned (${rescanned})`);
  });

  it("reports a PEM key whose lines were partly replaced as a new key, where it changed", async () => {
    const repo = newRepo();
    const head = filler(400, "head");
    const tail = filler(400, "tail");
    const k1 = pemPrivateKey().trimEnd().split("\n");
    const first = repo.commit("key", { files: { "keys.txt": text([...head, ...k1, ...tail]) } });
    // Lines 2-4 of the body come from another key: the block now spans edited and unchanged lines.
    const k2 = pemPrivateKey().trimEnd().split("\n");
    const mixed = [...k1];
    for (let i = 2; i <= 4; i++) mixed[i] = k2[i]!;
    const second = repo.commit("rotate part", { files: { "keys.txt": text([...head, ...mixed, ...tail]) } });
    // An edit 20 lines below the block changes nothing in it.
    const tail2 = [...tail];
    tail2[20] = "unrelated edit";
    repo.commit("unrelated", { files: { "keys.txt": text([...head, ...mixed, ...tail2]) } });
    const { findings } = await scanBoth(repo.dir);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.commit, f.startLine, f.endLine]),
      [
        ["private-key", first, 401, 400 + k1.length],
        ["private-key", second, 401, 400 + k1.length],
      ],
    );
  });

  it("finds a long PEM key completed by an edit far from its BEGIN line (the block's whole window is scanned)", async () => {
    const repo = newRepo();
    // A random body can hold an allowlisted word (a stopword): take a key the rules report whole.
    const engine = compileEngine(ruleSet, onlyUserRules);
    let key: string[] = [];
    for (let tries = 0; tries < 10 && key.length === 0; tries++) {
      const pem = generateKeyPairSync("rsa", { modulusLength: 4096 })
        .privateKey.export({ type: "pkcs1", format: "pem" })
        .toString()
        .trimEnd();
      const found = detectFragment(engine, wholeFragment(Buffer.from(pem), { path: "k.txt", source: "history" }), {
        showSecrets: false,
      });
      if (found.some((f) => f.ruleId === "private-key")) key = pem.split("\n");
    }
    assert.ok(key.join("\n").length > 3000);
    const head = filler(300, "head");
    const tail = filler(300, "tail");
    // Without its END line the block is no key yet; the commit that adds that line, 3 KB below
    // the BEGIN line, completes it.
    repo.commit("half", { files: { "k.txt": text([...head, ...key.slice(0, -1), ...tail]) } });
    const done = repo.commit("end line", { files: { "k.txt": text([...head, ...key, ...tail]) } });
    const { findings } = await scanBoth(repo.dir);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.commit, f.startLine, f.endLine]),
      [["private-key", done, 301, 300 + key.length]],
    );
  });

  it("a secret deleted, reintroduced, reverted and renamed stays one finding at its first introduction", async () => {
    const repo = newRepo();
    const lines = filler(1500, "cfg");
    repo.commit("start", { files: { "app.cfg": text(lines) } });
    const token = crcToken("ghp_");
    const withToken = [...lines.slice(0, 700), `TOKEN=${token}`, ...lines.slice(700)];
    const intro = repo.commit("add", { files: { "app.cfg": text(withToken) } });
    repo.commit("remove", { files: { "app.cfg": text(lines) } });
    withToken[10] = "a small edit elsewhere";
    repo.commit("re-add", { files: { "app.cfg": text(withToken) } });
    repo.git("revert", "--no-edit", "HEAD");
    repo.git("revert", "--no-edit", "HEAD");
    repo.rename("app.cfg", "conf/app.cfg");
    repo.commit("move");
    // On another branch the same token goes into a new file, and a conflict resolution adds a second one.
    repo.branch("side", "HEAD~3");
    const other = crcToken("ghp_");
    const onSide = repo.commit("side", { files: { "side.txt": text([...filler(900, "side"), `T=${token}`]) } });
    repo.checkout("main");
    const merge = repo.merge("side", { files: { "side.txt": text([...filler(900, "side"), `T=${other}`]) } });
    const { findings } = await scanBoth(repo.dir);
    const byCommit = findings.map((f) => [f.match, f.commit, f.path]);
    assert.deepEqual(byCommit, [
      [token, intro, "app.cfg"],
      [token, onSide, "side.txt"],
      [other, merge, "side.txt"],
    ]);
  });

  it("agrees with whole-blob scans on a random history of edits, reverts and secrets", async () => {
    const repo = newRepo();
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const files: Record<string, string[]> = { "a.txt": filler(1200, "a"), "b.js": filler(900, "b") };
    const versions: Record<string, string[][]> = { "a.txt": [], "b.js": [] };
    const pem = pemPrivateKey().trimEnd().split("\n");
    for (let c = 0; c < 40; c++) {
      const name = rnd(2) === 0 ? "a.txt" : "b.js";
      let lines = [...files[name]!];
      const op = rnd(6);
      if (op === 0) lines.splice(rnd(lines.length), 0, `KEY=${crcToken("ghp_")}`);
      else if (op === 1) lines.splice(rnd(lines.length), 1 + rnd(30));
      else if (op === 2 && versions[name]!.length > 0) lines = [...versions[name]![rnd(versions[name]!.length)]!];
      else if (op === 3) lines.splice(rnd(lines.length), 0, ...pem);
      else if (op === 4) {
        const at = lines.findIndex((l) => l.startsWith("MII") || /^[A-Za-z0-9+/=]{64}$/.test(l));
        if (at !== -1) lines[at] = pemPrivateKey().split("\n")[2]!;
      } else lines[rnd(lines.length)] = `edit ${c}`;
      versions[name]!.push(lines);
      files[name] = lines;
      repo.commit(`commit ${c}`, { files: { [name]: text(lines) }, allowEmpty: true });
    }
    const { findings } = await scanBoth(repo.dir);
    assert.ok(findings.length > 0);
  });

  it("a file whose versions alternate, turn binary, grow past a chunk and come back finds each secret once", async () => {
    const repo = newRepo();
    const lines = filler(1500, "alt");
    const a = text(lines);
    const token = crcToken("ghp_");
    const b = text([...lines.slice(0, 900), `TOKEN=${token}`, ...lines.slice(900)]);
    // A, B, A, B: the old versions come back (already scanned), the new ones are built on them.
    repo.commit("a", { files: { "f.cfg": a } });
    const intro = repo.commit("b", { files: { "f.cfg": b } });
    repo.commit("a again", { files: { "f.cfg": a } });
    repo.commit("b again", { files: { "f.cfg": b } });
    // A binary version, then a version past one chunk (read in pieces, never kept as a base), then text again.
    repo.commit("binary", { files: { "f.cfg": Buffer.concat([Buffer.from(b), Buffer.from([0, 1, 2, 0])]) } });
    const big = `${"x".repeat(100)}\n`.repeat(90_000);
    const other = crcToken("ghp_");
    const huge = repo.commit("huge", { files: { "f.cfg": `${big}TOKEN=${other}\n${a}` } });
    repo.commit("huge edit", { files: { "f.cfg": `${big}TOKEN=${other}\n${a}tail\n` } });
    const third = crcToken("ghp_");
    const back = repo.commit("small again", { files: { "f.cfg": text([...lines, `TOKEN=${third}`]) } });
    repo.commit("edit", { files: { "f.cfg": text(["top", ...lines, `TOKEN=${third}`]) } });
    const { findings } = await scanBoth(repo.dir);
    assert.deepEqual(
      findings.map((f) => [f.match, f.commit, f.startLine]),
      [
        [token, intro, 901],
        [other, huge, 90_001],
        [third, back, 1501],
      ],
    );
  });

  it("versions of two files interleaved across many commits and branches agree with whole-blob scans", async () => {
    const repo = newRepo();
    const files: Record<string, string[]> = { "x.txt": filler(800, "x"), "y.txt": filler(800, "y") };
    const keys: string[] = [];
    for (let c = 0; c < 12; c++) {
      if (c === 6) repo.branch("side", "HEAD~4");
      if (c === 6) repo.checkout("side");
      const name = c % 2 === 0 ? "x.txt" : "y.txt";
      const ls = [...files[name]!];
      ls[(c * 97) % ls.length] = c % 3 === 0 ? `KEY=${keys[keys.push(crcToken("ghp_")) - 1]}` : `edit ${c}`;
      files[name] = ls;
      repo.commit(`c${c}`, { files: { [name]: text(ls) } });
    }
    const { findings } = await scanBoth(repo.dir);
    assert.deepEqual(new Set(findings.map((f) => f.match)), new Set(keys));
  });
});
