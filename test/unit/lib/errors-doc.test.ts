/** docs/errors.md lists every error code with its exit code or HTTP status: the registry and the docs stay in step. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { API_ERROR_STATUS as API_ERRORS, ERROR_CODES } from "../../../src/lib/errors.js";
import { API_ERRORS as SERVER_API_ERRORS } from "../../../src/server/errors.js";

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
  it("has one table: the server's codes are lib/errors.ts's, and no code means two things", () => {
    assert.equal(SERVER_API_ERRORS, API_ERRORS);
    const shared = Object.keys(API_ERRORS).filter((c) => c in ERROR_CODES);
    assert.deepEqual(shared, ["LS_INTERNAL"], "only the internal error is both a CLI and an HTTP code");
  });
  it("documents no code that no longer exists", () => {
    const listed = [...doc.matchAll(/^\| `(LS_[A-Z_]+)` \|/gm)].map((m) => m[1]!);
    const known = new Set([...Object.keys(ERROR_CODES), ...Object.keys(API_ERRORS)]);
    assert.deepEqual(
      listed.filter((c) => !known.has(c)),
      [],
    );
  });
});
