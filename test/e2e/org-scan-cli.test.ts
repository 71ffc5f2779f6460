/** `leakstop org-scan` through the built CLI, against a local GitHub stand-in and local git repositories. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leakstop } from "./cli.js";

describe("leakstop org-scan: usage", () => {
  it("needs --org", () => {
    const r = leakstop(["org-scan"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "leakstop: org-scan: --org ORG is required (see leakstop org-scan --help)\n");
  });

  it("--report checks its settings before anything is fetched", () => {
    const r = leakstop(["org-scan", "--org", "acme", "--report"], {
      env: { LEAKSTOP_SERVER: "http://127.0.0.1:1", LEAKSTOP_TOKEN: "" },
    });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "leakstop: LEAKSTOP_SERVER is set but LEAKSTOP_TOKEN (a findings:write key) is not\n");
  });

  it("rejects a bad organization name, a bad --concurrency and contradicting filters in one line each", () => {
    for (const [args, message] of [
      [["--org", "../etc"], /is not a GitHub organization name/],
      [["--org", "acme", "--concurrency", "0"], /--concurrency must be a whole number from 1 to 32/],
      [["--org", "acme", "--include-forks", "--exclude-forks"], /--include-forks and --exclude-forks contradict/],
      [["--org", "acme", "--api-url", "not a url"], /--api-url is not a URL/],
    ] as const) {
      const r = leakstop(["org-scan", ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split("\n").length, 2, r.stderr);
    }
  });

  it("--help lists the flags and the exit codes", () => {
    const r = leakstop(["org-scan", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--since-last/);
    assert.match(r.stdout, /Exit codes: 0 no leaks, 1 leaks found, 2/);
  });
});
