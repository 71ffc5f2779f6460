import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { resolveScanConfig } from "../../../src/config/scan-config.js";

describe("resolveScanConfig", () => {
  const root = mkdtempSync(join(tmpdir(), "leakstop-cfg-unit-"));

  it("colours the report only when stdout itself is a terminal", () => {
    // stderr on a terminal, stdout redirected to a file: no escape sequences in the file
    assert.equal(resolveScanConfig({ path: root }, {}, true, false).color, false);
    assert.equal(resolveScanConfig({ path: root }, {}, true, true).color, true);
    assert.equal(resolveScanConfig({ path: root }, {}, false, true).progress, false);
    assert.equal(resolveScanConfig({ path: root }, { NO_COLOR: "1" }, true, true).color, false);
  });

  it("names the config file and key of a bad maxFileSize", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-cfg-unit-"));
    writeFileSync(join(dir, ".leakstop.toml"), '[scan]\nmaxFileSize = "huge"\n');
    assert.throws(
      () => resolveScanConfig({ path: dir }, {}, false),
      (err: Error) => /\.leakstop\.toml:2:1: scan\.maxFileSize must be a size/.test(err.message),
    );
    assert.throws(
      () => resolveScanConfig({ path: root }, { LEAKSTOP_MAX_FILE_SIZE: "x" }, false),
      /LEAKSTOP_MAX_FILE_SIZE must be a size/,
    );
  });
});

describe("resolveScanConfig: errors name where the bad value came from", () => {
  const root = mkdtempSync(join(tmpdir(), "leakstop-cfg-unit-"));
  it("LEAKSTOP_FORMAT and LEAKSTOP_CONFIG", () => {
    assert.throws(
      () => resolveScanConfig({ path: root }, { LEAKSTOP_FORMAT: "xml" }, false),
      /unknown LEAKSTOP_FORMAT "xml"/,
    );
    assert.throws(() => resolveScanConfig({ path: root, format: "xml" }, {}, false), /unknown --format "xml"/);
    assert.throws(
      () => resolveScanConfig({ path: root }, { LEAKSTOP_CONFIG: "/nonexistent.toml" }, false),
      /config file not found: \/nonexistent\.toml \(from LEAKSTOP_CONFIG\)/,
    );
  });
});

describe("resolveScanConfig: which file kinds are reported", () => {
  it("every kind by default; --min-kind > LEAKSTOP_MIN_KIND > [scan] report", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-cfg-unit-"));
    assert.equal(resolveScanConfig({ path: dir }, {}, false).report, null);
    writeFileSync(join(dir, ".leakstop.toml"), '[scan]\nreport = ["code", "test"]\n');
    assert.deepEqual(resolveScanConfig({ path: dir }, {}, false).report, ["code", "test"]);
    assert.deepEqual(resolveScanConfig({ path: dir }, { LEAKSTOP_MIN_KIND: "code" }, false).report, ["code"]);
    assert.deepEqual(resolveScanConfig({ path: dir, minKind: "config" }, { LEAKSTOP_MIN_KIND: "code" }, false).report, [
      "code",
      "config",
    ]);
    // "test" is as important as docs, example, generated and vendored: --min-kind test is everything.
    assert.equal(resolveScanConfig({ path: dir, minKind: "test" }, {}, false).report?.length, 7);
  });

  it("a kind that does not exist is an error naming where it came from", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-cfg-unit-"));
    assert.throws(() => resolveScanConfig({ path: dir, minKind: "tests" }, {}, false), /--min-kind must be one of/);
    assert.throws(() => resolveScanConfig({ path: dir }, { LEAKSTOP_MIN_KIND: "x" }, false), /LEAKSTOP_MIN_KIND/);
    writeFileSync(join(dir, ".leakstop.toml"), '[scan]\nreport = ["code", "fixtures"]\n');
    assert.throws(() => resolveScanConfig({ path: dir }, {}, false), /scan\.report: unknown file kind "fixtures"/);
    writeFileSync(join(dir, ".leakstop.toml"), "[scan]\nreport = []\n");
    assert.throws(() => resolveScanConfig({ path: dir }, {}, false), /scan\.report must name at least one/);
  });
});
