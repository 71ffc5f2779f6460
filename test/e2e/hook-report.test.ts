/**
 * The hook when opted in (`hook install --report`, or `[hook] report = true`): a blocked commit's
 * findings are also reported (as scan --report, source "staged", reporter "hook"); a hook without
 * it reports nothing; the token never reaches Redis or the output.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { storedFindings } from "../helpers/finding-jobs.js";
import { type GitRepo, tempRepos, USER_GIT_ENV } from "../helpers/git-repo.js";
import { dumpRedis } from "../helpers/redis-dump.js";
import { type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { crcToken } from "../helpers/secrets.js";
import { leakstop } from "./cli.js";

const repo = tempRepos();

function commit(r: GitRepo, env: NodeJS.ProcessEnv, file: string, text: string): { code: number; out: string } {
  writeFileSync(join(r.dir, file), text);
  const gitEnv = {
    ...process.env,
    ...env,
    NO_COLOR: "1",
    ...USER_GIT_ENV,
  };
  spawnSync("git", ["add", "--", file], { cwd: r.dir, env: gitEnv });
  const c = spawnSync("git", ["commit", "-q", "-m", "change"], { cwd: r.dir, env: gitEnv, encoding: "utf8" });
  return { code: c.status ?? -1, out: `${c.stdout}${c.stderr}` };
}

describe("hook --report", () => {
  let server: RedisServer;
  let redis: Redis;
  const spool = mkdtempSync(join(tmpdir(), "ls-hook-spool-"));
  const env = (ns: string) => ({
    REDIS_URL: server.url,
    LEAKSTOP_NAMESPACE: ns,
    LEAKSTOP_SPOOL_DIR: spool,
    LEAKSTOP_SERVER: "",
    LEAKSTOP_REPORT_PUBLIC_KEY: "",
  });
  const jobsOf = (ns: string) => storedFindings(redis, ns);
  before(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  after(async () => {
    redis.disconnect();
    await server.dispose();
    rmSync(spool, { recursive: true, force: true });
  });

  it("hook install --report: the blocked commit's finding is reported once, from the staged changes", async () => {
    const r = repo();
    const inst = leakstop(["hook", "install", "--report"], { cwd: r.dir });
    assert.equal(inst.code, 0, inst.stderr);
    assert.match(readFileSync(join(r.dir, ".git", "hooks", "pre-commit"), "utf8"), /hook run --report/);
    const token = crcToken("ghp_");
    const c = commit(r, env("hook-installed"), "app.ts", `export const token = "${token}";\n`);
    assert.equal(c.code, 1, c.out);
    assert.match(c.out, /commit blocked: 1 secret/);
    assert.match(c.out, /reported to Redis at .*: 1 new, 0 already queued/);
    assert.ok(!c.out.includes(token));
    const jobs = await jobsOf("hook-installed");
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.reporter, "hook");
    assert.equal(jobs[0]!.location.source, "staged");
    assert.equal(jobs[0]!.location.path, "app.ts");
    assert.ok(!(await dumpRedis(redis)).includes(token));
  });

  it("[hook] report = true in .leakstop.toml opts in without reinstalling; a plain hook reports nothing", async () => {
    const r = repo();
    assert.equal(leakstop(["hook", "install"], { cwd: r.dir }).code, 0);
    const plain = commit(r, env("hook-plain"), "a.ts", `const t = "${crcToken("ghp_")}";\n`);
    assert.equal(plain.code, 1);
    assert.doesNotMatch(plain.out, /reported to/);
    assert.equal((await jobsOf("hook-plain")).length, 0);

    writeFileSync(join(r.dir, ".leakstop.toml"), "[hook]\nreport = true\n");
    const c = commit(r, env("hook-config"), "b.ts", `const t = "${crcToken("ghp_")}";\n`);
    assert.equal(c.code, 1, c.out);
    assert.match(c.out, /reported to Redis/);
    assert.ok((await jobsOf("hook-config")).length >= 1);
  });

  it("a typo under [hook] is a config error naming it", () => {
    const r = repo();
    writeFileSync(join(r.dir, ".leakstop.toml"), "[hook]\nreprot = true\n");
    const res = leakstop(["hook", "run"], { cwd: r.dir });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /\[hook\]: unknown key "reprot"/);
  });
});
