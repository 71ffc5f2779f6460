/** One version source: package.json. The CLI, the Action, SARIF, org-scan digests and the OpenAPI document read it. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { leakstopVersion } from "../../../src/lib/version.js";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

describe("leakstopVersion", () => {
  it("is package.json's version", () => {
    assert.equal(leakstopVersion(), pkg.version);
  });

  it("is written nowhere else in src/", () => {
    const literal = `"${pkg.version}"`;
    const offenders = readdirSync("src", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .filter((f) => readFileSync(join("src", f), "utf8").includes(literal));
    assert.deepEqual(offenders, []);
  });
});
