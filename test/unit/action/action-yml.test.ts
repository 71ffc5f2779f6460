/**
 * action.yml and the entry point agree: composite actions do not hand inputs to their steps, so
 * every input must be passed to the scan step as INPUT_<NAME>, and every output must be one the
 * entry point writes. Also: the cache key script runs from the action's folder.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const yml = readFileSync("action.yml", "utf8");

/** The keys of a top-level mapping (two-space indented children). */
function keysOf(section: string): string[] {
  const body = new RegExp(`^${section}:\\n((?:  .*\\n|\\n)*)`, "m").exec(yml)?.[1] ?? "";
  return [...body.matchAll(/^ {2}([a-z][a-z0-9-]*):/gm)].map((m) => m[1]!);
}

describe("action.yml", () => {
  it("passes every input but node-version to the scan step as INPUT_<NAME>", () => {
    const inputs = keysOf("inputs");
    assert.ok(inputs.includes("fail-on-findings") && inputs.includes("server-token"), inputs.join(","));
    for (const name of inputs.filter((n) => n !== "node-version")) {
      const line = `INPUT_${name.toUpperCase()}: \${{ inputs.${name} }}`;
      assert.ok(yml.includes(line), `missing in the scan step's env: ${line}`);
    }
  });

  it("declares the outputs the entry point writes, from the scan step", () => {
    assert.deepEqual(keysOf("outputs"), ["findings", "sarif"]);
    for (const name of ["findings", "sarif"]) assert.ok(yml.includes(`value: \${{ steps.scan.outputs.${name} }}`));
    assert.match(yml, /node "\$GITHUB_ACTION_PATH\/dist\/src\/action\/main\.js"/);
  });

  it("the cache key names OS, CPU, Node ABI and a hash of what the install reads", () => {
    const r = spawnSync(process.execPath, ["scripts/action-cache-key.mjs"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const abi = process.versions.modules;
    assert.match(r.stdout, new RegExp(`^leakstop-${process.platform}-${process.arch}-abi${abi}-[0-9a-f]{32}\\n$`));
  });
});
