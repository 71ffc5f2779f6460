/**
 * `scan --history`'s progress bar through the built CLI: drawn on stderr when it is a terminal
 * (the CLI runs under util-linux `script`, which gives it a pseudo-terminal), erased at the end,
 * and never drawn when stderr is a pipe or with --no-progress.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Finding } from "../../src/findings/finding.js";
import { GitRepo } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { CLI, leakstop } from "./cli.js";

const hasScript = spawnSync("script", ["--version"]).status === 0;
const BAR = /\r\[[#-]{30}\] \d+\/\d+ texts/;
const FULL_BAR = /\r\[#{30}\] (\d+)\/\1 texts/;

/** Runs the CLI with a terminal as its stdin, stdout and stderr; returns what the terminal showed and the exit code. */
function onTerminal(args: string[]): { code: number; screen: string } {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  // -q: no "Script started" lines; -e: script exits with the command's code; /dev/null: no typescript file.
  const r = spawnSync("script", ["-qec", quoted, "/dev/null"], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  });
  return { code: r.status ?? -1, screen: r.stdout };
}

describe("scan --history progress bar", { skip: hasScript ? false : "util-linux script is not installed" }, () => {
  const work = mkdtempSync(join(tmpdir(), "leakstop-progress-"));
  after(() => rmSync(work, { recursive: true, force: true }));
  const repo = GitRepo.init();
  const token = crcToken("ghp_");
  repo.commit("one", { files: { "README.md": "# app\n" } });
  repo.commit("two", { files: { "config/app.env": `GITHUB_TOKEN=${token}\n` } });
  repo.commit("three", { files: { "config/app.env": null, "src/a.ts": "export const a = 1;\n" } });

  it("draws on a terminal, ends full, erases itself, and the scan's output is unchanged", () => {
    const out = join(work, "tty.json");
    const { code, screen } = onTerminal(["scan", repo.dir, "--history", "--format", "json", "-o", out]);
    assert.equal(code, 1, screen);
    assert.match(screen, BAR);
    assert.match(screen, FULL_BAR, JSON.stringify(screen));
    assert.ok(screen.endsWith("\r\x1b[K"), JSON.stringify(screen.slice(-80)));
    const findings = JSON.parse(readFileSync(out, "utf8")) as Finding[];
    assert.deepEqual(
      findings.map((f) => f.path),
      ["config/app.env"],
    );
  });

  it("stays silent with --no-progress on a terminal", () => {
    const out = join(work, "quiet.json");
    const { code, screen } = onTerminal([
      "scan",
      repo.dir,
      "--history",
      "--no-progress",
      "--format",
      "json",
      "-o",
      out,
    ]);
    assert.equal(code, 1, screen);
    assert.doesNotMatch(screen, /texts|\r\[/);
  });

  it("stays silent when stderr is not a terminal", () => {
    const r = leakstop(["scan", repo.dir, "--history", "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /texts|\r|\x1b/);
    assert.equal((JSON.parse(r.stdout) as Finding[]).length, 1);
  });
});
