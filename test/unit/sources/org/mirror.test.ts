/** Bare mirrors over real git smart HTTP: the token reaches git in a header and nowhere else. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { refTips } from "../../../../src/sources/org/git-refs.js";
import { gitEnv, syncMirror } from "../../../../src/sources/org/mirror.js";
import { type FakeGitHub, startFakeGitHub } from "../../../helpers/github-server.js";
import { gitRoot, Origin } from "../../../helpers/org-origin.js";

const TOKEN = "ghp_mirrorTestToken0123456789abcdefABCDEF";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe("syncMirror", () => {
  let gh: FakeGitHub;
  let origin: Origin;
  const root = gitRoot();
  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN, gitRoot: root });
    origin = new Origin(root, "api");
  });
  after(() => gh.close());

  it("clones a bare mirror with the token, fetches new commits later, and writes the token nowhere", async () => {
    const c1 = origin.commit("first", { "a.txt": "one\n" });
    const dir = join(mkdtempSync(join(tmpdir(), "leakstop-cache-")), "acme", "api.git");
    const url = `${gh.url}/git/api.git`;
    assert.equal(await syncMirror(url, dir, { token: TOKEN }), "cloned");
    assert.deepEqual(await refTips(dir), [c1]);
    const c2 = origin.commit("second", { "b.txt": "two\n" });
    assert.equal(await syncMirror(url, dir, { token: TOKEN }), "fetched");
    assert.deepEqual(await refTips(dir), [c2]);
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
    for (const f of filesUnder(dir)) {
      const bytes = readFileSync(f, "latin1");
      assert.ok(!bytes.includes(TOKEN) && !bytes.includes(basic), `${f} holds the token`);
    }
    assert.ok(readFileSync(join(dir, "config"), "utf8").includes(`url = ${url}`));
  });

  it("a wrong token fails with git's reason, the token removed, and leaves no half-made mirror", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "leakstop-cache-")), "api.git");
    const wrong = `${TOKEN}zz`;
    const err = await syncMirror(`${gh.url}/git/api.git`, dir, { token: wrong }).then(
      () => assert.fail("should fail"),
      (e: Error) => e,
    );
    assert.match(err.message, /Authentication failed|401|could not read Username/);
    assert.ok(!err.message.includes(wrong));
    assert.ok(!existsSync(dir));
    assert.deepEqual(readdirSync(join(dir, "..")), [], "the temporary clone is gone too");
  });

  it("a repository that does not exist fails with one line", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "leakstop-cache-")), "gone.git");
    const err = await syncMirror(join(root, "gone.git"), dir, { token: null }).then(
      () => assert.fail("should fail"),
      (e: Error) => e,
    );
    assert.ok(!err.message.includes("\n"));
    assert.match(err.message, /fatal:/);
  });

  it("replaces a cache folder that is not a repository", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "leakstop-cache-")), "api.git");
    assert.equal(await syncMirror(origin.bare, dir, { token: null }), "cloned");
    // A mirror whose HEAD is gone is no repository any more: cloned again, not reported forever.
    rmSync(join(dir, "HEAD"));
    assert.equal(await syncMirror(origin.bare, dir, { token: null }), "cloned");
  });

  it("removes the half-made clone an interrupted run left behind", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "leakstop-cache-")), "api.git");
    const abandoned = `${dir}.tmp-99999-abcd1234`;
    mkdirSync(join(abandoned, "objects"), { recursive: true });
    await syncMirror(origin.bare, dir, { token: null });
    assert.deepEqual(readdirSync(join(dir, "..")), ["api.git"]);
  });
});

describe("gitEnv", () => {
  it("scopes the auth header to the clone URL's origin and drops variables that could run commands", () => {
    const env = gitEnv(
      "https://github.example.com/acme/api.git",
      { token: "t0ken" },
      {
        PATH: "/bin",
        GIT_SSH_COMMAND: "evil",
        PAGER: "less",
        EDITOR: "vi",
      },
    );
    assert.equal(env.GIT_CONFIG_KEY_0, "http.https://github.example.com/.extraheader");
    assert.equal(
      env.GIT_CONFIG_VALUE_0,
      `AUTHORIZATION: basic ${Buffer.from("x-access-token:t0ken").toString("base64")}`,
    );
    assert.equal(env.GIT_TERMINAL_PROMPT, "0");
    assert.equal(env.PATH, "/bin");
    assert.equal(env.GIT_SSH_COMMAND ?? env.PAGER ?? env.EDITOR, undefined);
  });

  it("sends no header without a token, nor to a path or file:// clone URL", () => {
    assert.equal(gitEnv("https://github.com/a/b.git", { token: null }, {}).GIT_CONFIG_COUNT, undefined);
    assert.equal(gitEnv("/srv/git/b.git", { token: "t0ken" }, {}).GIT_CONFIG_COUNT, undefined);
    assert.equal(gitEnv("file:///srv/git/b.git", { token: "t0ken" }, {}).GIT_CONFIG_COUNT, undefined);
  });
});
