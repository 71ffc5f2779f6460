/**
 * `scan --history` and annotated tags: each tag object's message is scanned once, on worker threads
 * and in process alike, reported with the tag's name, its object id and its tagger; nested tags,
 * tags of trees and blobs, lightweight tags and signatures break nothing; --branch, --since and
 * exclude select tags as README says. Real git repositories, real tag objects (and a real gpg
 * signature where gpg is installed).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import type { Finding } from "../../../src/findings/finding.js";
import { scanHistory } from "../../../src/scan/scan-history.js";
import { parseTagObject, tagMessageOf } from "../../../src/sources/git/tag-objects.js";
import { type GitRepo, git, tempRepos } from "../../helpers/git-repo.js";
import { crcToken } from "../../helpers/secrets.js";

const ruleSet = buildRuleSet(null, []);
const repo = tempRepos();

/** `git tag -a` by `who` at `date` (the tagger's). */
function annotate(r: GitRepo, name: string, message: string, at = "HEAD", date = "2024-05-01T10:00:00+02:00"): string {
  git(r.dir, ["tag", "-a", name, "-m", message, at], {
    GIT_COMMITTER_NAME: "Tess Tagger",
    GIT_COMMITTER_EMAIL: "tess@example.com",
    GIT_COMMITTER_DATE: date,
  });
  return r.git("rev-parse", name).trim();
}

/** Both ways a history is scanned: worker threads (from the first text on) and in this thread. */
async function bothWays(dir: string, extra: { branch?: string; since?: string; exclude?: string[] } = {}) {
  const base = { repo: dir, showSecrets: true, maxFileSize: 0, ...extra };
  const pooled = await scanHistory(ruleSet, { ...base, threads: 2, inProcessBelow: 0, batchItems: 1 });
  const here = await scanHistory(ruleSet, { ...base, threads: 1 });
  assert.deepEqual(here.findings, pooled.findings);
  assert.equal(here.stats.tags, pooled.stats.tags);
  return pooled;
}

const where = (fs: Finding[]) => fs.map((f) => [f.match, f.tag ?? null, f.commit, f.path, f.startLine, f.startColumn]);

describe("scanHistory: annotated tag messages", () => {
  it("finds a secret that only a tag's message holds, once, with the tag's name, object id and tagger", async () => {
    const r = repo();
    r.commit("init", { files: { "a.txt": "hello\n" } });
    const token = crcToken("ghp_");
    const tag = annotate(r, "v1.0", `Release 1.0\n\ndeploy with ${token}\n`);
    // A second ref to the same tag object: still one finding.
    r.git("update-ref", "refs/keep/v1.0", tag);
    const res = await bothWays(r.dir);
    assert.deepEqual(where(res.findings), [[token, "v1.0", tag, "", 3, 13]]);
    const f = res.findings[0]!;
    assert.deepEqual(
      [f.author, f.email, f.date, f.source, f.fileKind],
      ["Tess Tagger", "tess@example.com", "2024-05-01T10:00:00+02:00", "history", "docs"],
    );
    assert.equal(res.stats.tags, 1);
  });

  it("nested tags, tags of a tree and of a blob, and lightweight tags: each tag object once, nothing else", async () => {
    const r = repo();
    const c = r.commit("init", { files: { "a.txt": "hello\n" } });
    const [inner, outer, onTree, onBlob] = [crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_")];
    const innerTag = annotate(r, "inner", `inner ${inner}`);
    // git asks before tagging a tag; the advice is only a hint.
    const outerTag = annotate(r, "outer", `outer ${outer}`, "inner");
    const treeTag = annotate(r, "tree-tag", `tree ${onTree}`, `${c}^{tree}`);
    const blobTag = annotate(r, "blob-tag", `blob ${onBlob}`, r.blob("HEAD", "a.txt"));
    r.tag("light");
    r.tag("light-on-tag", { at: "outer" });
    // The inner tag's ref goes away: it is still scanned, through the tag that nests it.
    r.git("tag", "-d", "inner");
    const res = await bothWays(r.dir);
    const byTag = new Map(res.findings.map((f) => [f.tag, [f.match, f.commit]]));
    assert.deepEqual(Object.fromEntries(byTag), {
      inner: [inner, innerTag],
      outer: [outer, outerTag],
      "tree-tag": [onTree, treeTag],
      "blob-tag": [onBlob, blobTag],
    });
    assert.equal(res.findings.length, 4);
    assert.equal(res.stats.tags, 4);
    // A tag of a tree as the branch: no commit to walk (as git log says), its own message only.
    const tree = await bothWays(r.dir, { branch: "tree-tag" });
    assert.deepEqual([tree.stats.commits, tree.findings.map((f) => f.tag)], [0, ["tree-tag"]]);
  });

  it("--branch scans the tags of the branch's commits only; --since the tags made since; exclude leaves tags out", async () => {
    const r = repo();
    r.commit("init", { files: { "a.txt": "hello\n" } });
    const [onMain, onTopic, old] = [crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_")];
    const mainTag = annotate(r, "v1", `main ${onMain}`, "HEAD", "2024-06-01T00:00:00Z");
    const oldTag = annotate(r, "v0", `old ${old}`, "HEAD", "2020-01-01T00:00:00Z");
    r.branch("topic");
    r.checkout("topic");
    r.commit("topic work", { files: { "b.txt": "more\n" } });
    const topicTag = annotate(r, "topic-1", `topic ${onTopic}`, "HEAD", "2024-06-02T00:00:00Z");
    r.checkout("main");
    const tagsOf = (fs: Finding[]) => fs.map((f) => f.tag).sort();
    assert.deepEqual(tagsOf((await bothWays(r.dir)).findings), ["topic-1", "v0", "v1"]);
    assert.deepEqual(tagsOf((await bothWays(r.dir, { branch: "main" })).findings), ["v0", "v1"]);
    assert.deepEqual(tagsOf((await bothWays(r.dir, { branch: "topic" })).findings), ["topic-1", "v0", "v1"]);
    // A tag given as the branch: its own history's tags, itself included.
    assert.deepEqual(tagsOf((await bothWays(r.dir, { branch: "v1" })).findings), ["v0", "v1"]);
    assert.deepEqual(tagsOf((await bothWays(r.dir, { since: "2023-01-01" })).findings), ["topic-1", "v1"]);
    // An incremental scan (org-scan --since-last) names the tags it scanned before among the tips.
    const res = await bothWays(r.dir, { exclude: [mainTag, oldTag, r.head()] });
    assert.deepEqual(where(res.findings), [[onTopic, "topic-1", topicTag, "", 1, 7]]);
  });

  it("a signed tag's signature is not its message: nothing in it is reported, the message before it is scanned", {
    skip: spawnSync("gpg", ["--version"]).status !== 0 && "gpg is not installed",
  }, async () => {
    const home = mkdtempSync(join(tmpdir(), "leakstop-gnupg-"));
    after(() => rmSync(home, { recursive: true, force: true }));
    const env = { GNUPGHOME: home, GIT_COMMITTER_NAME: "Tess Tagger", GIT_COMMITTER_EMAIL: "tess@example.com" };
    const gen = spawnSync(
      "gpg",
      ["--batch", "--passphrase", "", "--quick-gen-key", "Tess Tagger <tess@example.com>", "ed25519", "sign", "never"],
      { env: { ...process.env, ...env } },
    );
    assert.equal(gen.status, 0, String(gen.stderr));
    const r = repo();
    r.commit("init", { files: { "a.txt": "hello\n" } });
    const token = crcToken("ghp_");
    git(r.dir, ["-c", "user.signingkey=tess@example.com", "tag", "-s", "signed-clean", "-m", "Release 2.0"], env);
    git(r.dir, ["-c", "user.signingkey=tess@example.com", "tag", "-s", "signed-leak", "-m", `token ${token}`], env);
    assert.match(r.git("cat-file", "tag", "signed-clean"), /-----BEGIN PGP SIGNATURE-----/);
    const res = await bothWays(r.dir);
    assert.deepEqual(
      res.findings.map((f) => [f.tag, f.match, f.startLine]),
      [["signed-leak", token, 1]],
    );
    assert.equal(res.stats.tags, 2);
  });
});

describe("tag objects", () => {
  const object = (message: string) =>
    Buffer.from(
      `object ${"a".repeat(40)}\ntype commit\ntag v2\ntagger Tess Tagger <tess@example.com> 1714550400 -0130\n\n${message}`,
    );

  it("a message ends where its last signature starts (PGP, SSH, X.509), as git reads it", () => {
    for (const start of [
      "-----BEGIN PGP SIGNATURE-----",
      "-----BEGIN SSH SIGNATURE-----",
      "-----BEGIN SIGNED MESSAGE-----",
    ]) {
      const text = `Release\n\nnotes\n${start}\nAAAAB3NzaC1yc2EAAAADAQABAAABgQC\n-----END-----\n`;
      assert.equal(tagMessageOf(object(text)).toString(), "Release\n\nnotes\n", start);
    }
    // A private key pasted into a message is no signature: it stays, to be found.
    const key = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nxx\n-----END PGP PRIVATE KEY BLOCK-----\n";
    assert.equal(tagMessageOf(object(key)).toString(), key);
    // A marker inside a line does not start a signature.
    assert.equal(
      tagMessageOf(object("see -----BEGIN PGP SIGNATURE-----\n")).toString(),
      "see -----BEGIN PGP SIGNATURE-----\n",
    );
    assert.equal(tagMessageOf(Buffer.from(`object ${"a".repeat(40)}\ntype commit\ntag x\n`)).toString(), "");
  });

  it("reads the tagger's name, e-mail and date with its zone, and tolerates a tag without a tagger", () => {
    const t = parseTagObject("b".repeat(40), object("m\n"));
    assert.deepEqual(
      [t.name, t.target, t.targetType, t.tagger, t.email, t.date, t.seconds],
      ["v2", "a".repeat(40), "commit", "Tess Tagger", "tess@example.com", "2024-05-01T06:30:00-01:30", 1714550400],
    );
    const bare = parseTagObject("c".repeat(40), Buffer.from(`object ${"a".repeat(40)}\ntype blob\ntag old\n\nm\n`));
    assert.deepEqual([bare.name, bare.targetType, bare.tagger, bare.date, bare.seconds], ["old", "blob", "", "", null]);
  });
});
