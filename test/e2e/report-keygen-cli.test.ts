/** `leakstop report keygen`: a key pair a producer seals to and a worker opens; the private key is 0600. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { readSealKeyFile, seal, unseal } from "../../src/lib/sealed-box.js";
import { leakstop } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "ls-keygen-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("leakstop report keygen", () => {
  it("writes report-private.pem (0600) and report-public.pem that seal and open", () => {
    const out = join(dir, "keys");
    const r = leakstop(["report", "keygen", "--output", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /keyId [0-9a-f]{64}/);
    const privatePath = join(out, "report-private.pem");
    assert.equal(statSync(privatePath).mode & 0o777, 0o600);
    assert.match(readFileSync(join(out, "report-public.pem"), "utf8"), /BEGIN PUBLIC KEY/);
    const box = seal("xoxb-secret", readSealKeyFile(join(out, "report-public.pem"), "public"));
    assert.equal(unseal(box, readSealKeyFile(privatePath, "private")), "xoxb-secret");
  });

  it("never overwrites a key pair (exit 2, one line)", () => {
    const out = join(dir, "twice");
    assert.equal(leakstop(["report", "keygen", "--output", out]).code, 0);
    const r = leakstop(["report", "keygen", "--output", out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^leakstop: a report key pair is already in .*\n$/);
  });

  it("leakstop --help and report --help list report failed and report dead-letters", () => {
    const top = leakstop(["--help"]);
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stdout, /report keygen\|--flush\|failed\|dead-letters/);
    const report = leakstop(["report", "--help"]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /leakstop report failed \[--retry\]/);
    assert.match(report.stdout, /leakstop report dead-letters \[--replay\]/);
    const failed = leakstop(["report", "failed", "--help"]);
    assert.equal(failed.code, 0, failed.stderr);
    assert.match(
      failed.stdout,
      /^usage: leakstop report failed \[--format text\|json\]\n\s+leakstop report failed --retry \[--id ID\]\.\.\./,
    );
  });

  it("bad report commands and settings are one line and exit 2", () => {
    for (const [args, env, message] of [
      [["report", "bogus"], {}, /^leakstop: report: unknown subcommand "bogus" \(keygen, --flush/],
      [
        ["report", "--flush"],
        { LEAKSTOP_SERVER: "http://127.0.0.1:1", LEAKSTOP_TOKEN: "" },
        /LEAKSTOP_TOKEN \(a findings:write key\) is not/,
      ],
      [["report", "--flush"], { LEAKSTOP_SERVER: "ftp://x", LEAKSTOP_TOKEN: "t" }, /LEAKSTOP_SERVER must be an http/],
      [["report", "--flush"], { LEAKSTOP_SERVER: "https://u:p@x", LEAKSTOP_TOKEN: "t" }, /must not carry credentials/],
      [["scan", dir, "--report"], { LEAKSTOP_NAMESPACE: "a b" }, /LEAKSTOP_NAMESPACE must be/],
    ] as const) {
      const r = leakstop([...args], { env: { LEAKSTOP_SPOOL_DIR: join(dir, "spool"), ...env } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.split("\n").length, 2, r.stderr);
      assert.ok(!r.stderr.includes("u:p@"));
    }
  });

  it("wants --output", () => {
    const r = leakstop(["report", "keygen"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--output DIR is required/);
  });
});
