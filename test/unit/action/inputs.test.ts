import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readInputs } from "../../../src/action/inputs.js";

const ws = { GITHUB_WORKSPACE: "/home/runner/work/shop/shop" };

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail("expected an error");
}

describe("action inputs", () => {
  it("defaults: the workspace, fail on findings, leakstop.sarif, annotations", () => {
    assert.deepEqual(readInputs(ws), {
      root: ws.GITHUB_WORKSPACE,
      config: null,
      baseline: null,
      failOnFindings: true,
      sarif: `${ws.GITHUB_WORKSPACE}/leakstop.sarif`,
      format: "github",
      serverUrl: null,
      serverToken: null,
      minKind: null,
    });
  });

  it("min-kind: a file kind, or a one-line usage error naming the input", () => {
    assert.equal(readInputs({ ...ws, "INPUT_MIN-KIND": " config " }).minKind, "config");
    const err = errorOf(() => readInputs({ ...ws, "INPUT_MIN-KIND": "tests" }));
    assert.equal(err.code, "LS_USAGE");
    assert.match(err.message, /^input min-kind must be one of code, config, test/);
  });

  it("reads INPUT_<NAME> with dashes kept, paths against the workspace", () => {
    const inputs = readInputs({
      ...ws,
      INPUT_CONFIG: " ci/leakstop.toml ",
      INPUT_BASELINE: "/abs/baseline.json",
      "INPUT_FAIL-ON-FINDINGS": "false",
      INPUT_SARIF: "",
      INPUT_FORMAT: "text",
      "INPUT_SERVER-URL": "https://leakstop.example.com/",
      "INPUT_SERVER-TOKEN": "lsk_live_x",
    });
    assert.equal(inputs.config, `${ws.GITHUB_WORKSPACE}/ci/leakstop.toml`);
    assert.equal(inputs.baseline, "/abs/baseline.json");
    assert.equal(inputs.failOnFindings, false);
    assert.equal(inputs.sarif, null, 'sarif: "" writes no file');
    assert.equal(inputs.format, "text");
    assert.equal(inputs.serverUrl, "https://leakstop.example.com/");
  });

  it("a malformed input is a usage error naming it, never echoing a token", () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ ...ws, "INPUT_FAIL-ON-FINDINGS": "yes" }, /^input fail-on-findings must be true or false, not "yes"$/],
      [{ ...ws, INPUT_FORMAT: "xml" }, /^input format must be one of github, text, json, jsonl/],
      [{ ...ws, "INPUT_SERVER-URL": "ftp://x" }, /^input server-url must be an http\(s\) URL$/],
      [{ ...ws, "INPUT_SERVER-URL": "https://u:secret@x" }, /^input server-url must not carry credentials/],
      [{ ...ws, "INPUT_SERVER-TOKEN": "secret" }, /^input server-token is set but server-url is not$/],
      [
        { ...ws, "INPUT_SERVER-URL": "https://x" },
        /^input server-url is set but server-token \(a findings:write key\) is not$/,
      ],
    ];
    for (const [env, expected] of cases) {
      const err = errorOf(() => readInputs(env));
      assert.equal(err.code, "LS_USAGE");
      assert.match(err.message, expected);
      assert.ok(!err.message.includes("secret"));
    }
    assert.equal(errorOf(() => readInputs({})).code, "LS_ACTION_EVENT");
  });
});
