/** run-cli.ts turns every way a command can end into an exit code, including never ending at all. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";

const RUN_CLI = new URL("../../../src/cli/run-cli.js", import.meta.url).href;

/** Runs a one-command CLI whose runner is `body` in a fresh node process. */
function runCommand(body: string): { code: number | null; stderr: string } {
  const script = `import { runCli } from ${JSON.stringify(RUN_CLI)};
runCli(["x"], { x: async () => ({ default: ${body} }) }, "usage");`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  return { code: r.status, stderr: r.stderr };
}

describe("runCli exit codes", () => {
  it("a command that returns 1 exits 1, silently", () => {
    const r = runCommand("async () => 1");
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "");
  });

  it("a command whose promise never settles exits 2 with one line, not 0", () => {
    const r = runCommand("() => new Promise(() => {})");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^leakstop: the command stopped before it finished \(an unexpected internal error/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  });

  it("a command that waits on a timer and then succeeds exits 0", () => {
    const r = runCommand("() => new Promise((resolve) => setTimeout(() => resolve(0), 50))");
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "");
  });
});
