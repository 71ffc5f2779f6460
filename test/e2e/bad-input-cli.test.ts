/**
 * Broken things a user hits, through the built CLI: each ends with exit 2 and one `leakstop: ` line
 * saying what and why, before any long work, never with a stack trace, a hang or a pass.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tempRepos } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { CLI, leakstop, oneLineError } from "./cli.js";

const repos = tempRepos();

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "leakstop-bad-"));
}

describe("a repository that lost a staged blob", () => {
  it("--staged and the hook fail naming the file, instead of passing with the added lines unread", () => {
    const repo = repos();
    repo.commit("first", { files: { "a.txt": "one\n" } });
    const token = crcToken("ghp_");
    repo.write({ "config.env": `GITHUB_TOKEN=${token}\n` });
    const blob = repo.git("rev-parse", ":config.env").trim();
    rmSync(join(repo.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const damaged = /git cannot read the blob of config\.env \([0-9a-f]{12}\): the repository is damaged or incomplete/;
    oneLineError(leakstop(["scan", repo.dir, "--staged"]), damaged);
    oneLineError(leakstop(["hook", "run"], { cwd: repo.dir }), damaged);
  });
});

describe("outputs that cannot be written are refused before the scan", () => {
  /** Runs `scan --stdin ARGS` with standard input left open: only a check made before reading it can end it. */
  function scanStdinOpen(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, "scan", "--stdin", ...args], { stdio: ["pipe", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (b: Buffer) => {
        stderr += b.toString();
      });
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`still running after 20 s (it waited for the input): ${stderr}`));
      }, 20_000);
      child.on("exit", (code) => {
        clearTimeout(timer);
        child.stdin.destroy();
        resolve({ code, stderr });
      });
    });
  }

  it("--output into a folder that does not exist", async () => {
    const dir = tempDir();
    const r = await scanStdinOpen(["--output", join(dir, "missing", "report.json")]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^leakstop: cannot write --output .*report\.json: the folder .*missing does not exist\n$/);
  });

  it("--output naming a folder, --write-baseline into a missing folder", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "out"));
    const out = await scanStdinOpen(["--output", join(dir, "out")]);
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, /^leakstop: cannot write --output .*out: it is a folder \(EISDIR\)\n$/);
    const base = await scanStdinOpen(["--write-baseline", join(dir, "nope", "b.json")]);
    assert.equal(base.code, 2, base.stderr);
    assert.match(base.stderr, /^leakstop: cannot write baseline .*b\.json: the folder .*nope does not exist\n$/);
  });
});

describe("flags and files a user gets wrong", () => {
  it("a negative number says how to write it", () => {
    oneLineError(
      leakstop(["scan", ".", "--threads", "-1"]),
      /scan: --threads needs a value; one that starts with "-" is written --threads=-…/,
    );
    oneLineError(leakstop(["scan", ".", "--threads=-1"]), /--threads must be a whole number from 1 to 256/);
    oneLineError(leakstop(["scan", ".", "--max-file-size", "-5"]), /scan: --max-file-size needs a value/);
  });

  it("--config naming a folder says so", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.txt"), "x\n");
    mkdirSync(join(dir, "conf"));
    oneLineError(
      leakstop(["scan", join(dir, "a.txt"), "--config", join(dir, "conf")]),
      /cannot read config file .*conf: it is a folder \(EISDIR\)/,
    );
  });
});
