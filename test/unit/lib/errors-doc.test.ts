/** docs/errors.md lists every error code with its exit code or HTTP status: the registry and the docs stay in step. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ERROR_CODES } from "../../../src/lib/errors.js";
import { API_ERRORS } from "../../../src/server/errors.js";

const doc = readFileSync("docs/errors.md", "utf8");

describe("docs/errors.md", () => {
  for (const [code, { exitCode }] of Object.entries(ERROR_CODES)) {
    it(`documents ${code} with exit code ${exitCode}`, () => {
      assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${exitCode} \\|`));
    });
  }
  for (const [code, status] of Object.entries(API_ERRORS)) {
    it(`documents ${code} as HTTP ${status}`, () => {
      assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
    });
  }
  it("documents no code that no longer exists", () => {
    const listed = [...doc.matchAll(/^\| `(LS_[A-Z_]+)` \|/gm)].map((m) => m[1]!);
    const known = new Set([...Object.keys(ERROR_CODES), ...Object.keys(API_ERRORS)]);
    assert.deepEqual(
      listed.filter((c) => !known.has(c)),
      [],
    );
  });
});
