/**
 * `leakstop scan` as a new user meets it: a tree seeded with keys of many providers, found at
 * their exact line and column, redacted, exit 1; a clean tree exits 0; bad input exits 2 with one
 * `leakstop: ` line and no stack trace; no raw secret in default output.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { generateKey } from "../../src/keyformat/key-format.js";
import { sha256Hex } from "../../src/lib/hash.js";
import { awsAccessKeyId, base62, crcToken, digits, pemPrivateKey } from "../helpers/secrets.js";
import { leakstop, oneLineError } from "./cli.js";

interface Planted {
  path: string;
  line: number;
  column: number;
  secret: string;
}

/** Writes files whose lines are [prefix, secret, suffix]; records where each secret starts. */
function seedTree(): { root: string; planted: Planted[] } {
  const root = mkdtempSync(join(tmpdir(), "leakstop-e2e-"));
  const planted: Planted[] = [];
  const files: Record<string, [string, string, string][]> = {
    "config/.env": [
      ["# service settings", "", ""],
      ["GITHUB_TOKEN=", crcToken("ghp_"), ""],
      ["AWS_ACCESS_KEY_ID=", awsAccessKeyId(), ""],
      ["LEAKSTOP_KEY=", generateKey("lsk", "live"), ""],
    ],
    "src/app.ts": [
      ["import x from 'y';", "", ""],
      ["const slack = 'xoxb-", `${digits(11)}-${digits(12)}-${base62(24)}`, "';"],
      ['  const stripe = "', `sk_live_${base62(24)}`, '"; // é'],
      ["const npmToken = '", crcToken("npm_"), "'"],
    ],
    "deploy/values.yaml": [
      ["openai:", "", ""],
      ["  key: ", `sk-proj-${base62(60)}`, ""],
      ["sendgrid: ", `SG.${base62(22)}.${base62(43)}`, ""],
    ],
  };
  for (const [rel, lines] of Object.entries(files)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    const text: string[] = [];
    lines.forEach(([pre, secret, post], i) => {
      if (secret) {
        // slack's fixed prefix is part of the secret: move it out of the line prefix
        const fixed = pre.endsWith("xoxb-") ? "xoxb-" : "";
        const p = fixed ? pre.slice(0, -fixed.length) : pre;
        planted.push({ path: rel, line: i + 1, column: [...p].length + 1, secret: fixed + secret });
        text.push(p + fixed + secret + post);
      } else text.push(pre);
    });
    writeFileSync(join(root, rel), `${text.join("\n")}\n`);
  }
  const pem = pemPrivateKey();
  writeFileSync(join(root, "id_rsa"), `\n${pem}`);
  planted.push({ path: "id_rsa", line: 2, column: 1, secret: pem.trimEnd() });
  return { root, planted };
}

describe("leakstop scan (end to end)", () => {
  const { root, planted } = seedTree();

  it("finds every seeded key at its exact line and column and exits 1", () => {
    const r = leakstop(["scan", root, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as {
      path: string;
      startLine: number;
      startColumn: number;
      secretHash: string;
    }[];
    for (const p of planted) {
      const hash = p.secret.includes("PRIVATE KEY") ? null : sha256Hex(p.secret);
      const hit = findings.find(
        (f) => f.path === p.path && f.startLine === p.line && (hash === null || f.secretHash === hash),
      );
      assert.ok(hit, `not found: ${p.path}:${p.line} (${p.secret.slice(0, 8)}…)`);
      assert.equal(hit.startColumn, p.column, `${p.path}:${p.line} column`);
    }
  });

  it("never prints a raw secret by default, in any format", () => {
    for (const format of ["text", "json", "jsonl", "sarif"]) {
      const r = leakstop(["scan", root, "--format", format]);
      assert.equal(r.code, 1);
      for (const p of planted) {
        const body = p.secret.replace(/^-----BEGIN[^\n]*\n/, "").slice(8, 30);
        assert.ok(!r.stdout.includes(body) && !r.stderr.includes(body), `${format} leaks ${p.path}:${p.line}`);
      }
    }
  });

  it("prints raw secrets only with --show-secrets", () => {
    const r = leakstop(["scan", root, "--format", "jsonl", "--show-secrets"]);
    const gh = planted.find((p) => p.secret.startsWith("ghp_"))!;
    assert.ok(r.stdout.includes(gh.secret));
  });

  it("gives the same findings with one thread and with a pool of worker threads", () => {
    // enough files that the scan hands them to worker threads (small trees stay in-process)
    const big = mkdtempSync(join(tmpdir(), "leakstop-pool-"));
    for (let i = 0; i < 1200; i++) {
      mkdirSync(join(big, `pkg${i % 40}`), { recursive: true });
      const secret = i % 97 === 0 ? `\nexport TOKEN=${crcToken("ghp_")}` : "";
      writeFileSync(join(big, `pkg${i % 40}`, `mod${i}.ts`), `export const n${i} = ${i};${secret}\n`);
    }
    const a = leakstop(["scan", big, "--format", "json", "--threads", "1"]);
    const b = leakstop(["scan", big, "--format", "json", "--threads", "2"]);
    assert.equal(b.code, 1, b.stderr);
    const found = JSON.parse(b.stdout);
    assert.equal(found.length, 13);
    assert.deepEqual(found, JSON.parse(a.stdout));
  });

  it("exits 0 on a clean tree", () => {
    const clean = mkdtempSync(join(tmpdir(), "leakstop-clean-"));
    writeFileSync(join(clean, "a.ts"), "export const answer = 42;\nconst token = getToken();\n");
    const r = leakstop(["scan", clean]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no leaks found/);
  });

  it("writes a baseline and then ignores what it lists", () => {
    const baseline = join(mkdtempSync(join(tmpdir(), "leakstop-bl-")), "baseline.json");
    const w = leakstop(["scan", root, "--write-baseline", baseline, "--quiet"]);
    assert.equal(w.code, 1, w.stderr);
    assert.ok(!readFileSync(baseline, "utf8").includes(planted[0]!.secret));
    const r = leakstop(["scan", root, "--baseline", baseline, "--format", "json"]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it("scans standard input under the name given", () => {
    const token = crcToken("ghp_");
    const r = leakstop(["scan", "--stdin", "--stdin-name", "paste.txt", "--format", "json"], {
      input: `x\n  ${token}\n`,
    });
    assert.equal(r.code, 1, r.stderr);
    const [f] = JSON.parse(r.stdout);
    assert.deepEqual([f.path, f.startLine, f.startColumn, f.source], ["paste.txt", 2, 3, "stdin"]);
  });

  it("rejects a bad flag, a missing path and a bad format with one line and exit 2", () => {
    oneLineError(leakstop(["scan", root, "--no-such-flag"]), /unknown option|--no-such-flag/i);
    oneLineError(leakstop(["scan", join(root, "does-not-exist")]), /path not found/);
    oneLineError(leakstop(["scan", root, "--format", "xml"]), /unknown --format "xml"/);
    oneLineError(leakstop(["scan", root, "--threads", "zero"]), /--threads/);
    oneLineError(leakstop(["nosuchcommand"]), /unknown command/);
    // --verbose asks for stacks of faults, not of the user's own typo.
    oneLineError(leakstop(["rules", "list", "--verbose"]), /--verbose is for rules test/);
    oneLineError(leakstop(["scan", root, "--verbose", "--no-such-flag"]), /--no-such-flag/);
  });

  it("rejects a config file with a typo, naming the file and the key", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-cfg-"));
    writeFileSync(join(dir, ".leakstop.toml"), '[[rules]]\nid = "generic-secret"\nkeyowrds = ["x"]\n');
    oneLineError(leakstop(["scan", dir]), /\.leakstop\.toml:3:1: rule "generic-secret": unknown key "keyowrds"/);
    writeFileSync(join(dir, ".leakstop.toml"), "[scan\n");
    oneLineError(leakstop(["scan", dir]), /invalid TOML/);
    oneLineError(leakstop(["scan", dir, "--config", join(dir, "missing.toml")]), /config file not found/);
  });

  it("applies user rules, overrides, disabled rules and allowlists from .leakstop.toml", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-user-"));
    const internal = `acme-${base62(20)}`;
    const gh = crcToken("ghp_");
    writeFileSync(join(dir, "a.txt"), `${internal}\n${gh}\nkey = ${awsAccessKeyId()}\n`);
    writeFileSync(
      join(dir, ".leakstop.toml"),
      [
        'disabledRules = ["aws-access-key-id"]',
        "[[rules]]",
        'id = "acme-internal"',
        'provider = "Acme"',
        'description = "Acme internal token"',
        "regex = '''\\b(acme-[0-9A-Za-z]{20})\\b'''",
        'keywords = ["acme-"]',
        "[[rules]]",
        'id = "github-pat"',
        'severity = "low"',
      ].join("\n"),
    );
    const r = leakstop(["scan", dir, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    const found = JSON.parse(r.stdout) as { ruleId: string; severity: string }[];
    assert.deepEqual(found.map((f) => f.ruleId).sort(), ["acme-internal", "github-pat"]);
    assert.equal(found.find((f) => f.ruleId === "github-pat")?.severity, "low");
  });

  it("loads a gitleaks rule file as-is through extend.gitleaks", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-gl-"));
    writeFileSync(
      join(dir, "gitleaks.toml"),
      [
        'title = "custom gitleaks config"',
        "[[rules]]",
        'id = "internal-service-token"',
        'description = "Internal service token"',
        "regex = '''(?i)svc_tok_([a-z0-9]{32})'''",
        "secretGroup = 1",
        'keywords = ["svc_tok_"]',
        'tags = ["internal"]',
        "[allowlist]",
        "paths = ['''ignored/''']",
      ].join("\n"),
    );
    writeFileSync(join(dir, ".leakstop.toml"), 'extend = { gitleaks = "gitleaks.toml" }\n');
    const secret = base62(32).toLowerCase();
    writeFileSync(join(dir, "svc.txt"), `token=svc_tok_${secret}\n`);
    mkdirSync(join(dir, "ignored"));
    writeFileSync(join(dir, "ignored", "svc.txt"), `token=svc_tok_${secret}\n`);
    const r = leakstop(["scan", dir, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    const found = JSON.parse(r.stdout) as { ruleId: string; path: string; secretHash: string }[];
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.path]),
      [["internal-service-token", "svc.txt"]],
    );
    assert.equal(found[0]?.secretHash, sha256Hex(secret));
  });
});

describe("leakstop scan size cap", () => {
  it("skips files over --max-file-size and says so with --verbose", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-cap-"));
    const token = crcToken("ghp_");
    writeFileSync(join(dir, "small.txt"), `${token}\n`);
    writeFileSync(join(dir, "big.txt"), `${"x".repeat(2000)}\n${token}\n`);
    const r = leakstop(["scan", dir, "--max-file-size", "1k", "--format", "json", "--verbose"]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).map((f: { path: string }) => f.path),
      ["small.txt"],
    );
    assert.match(r.stderr, /skipped big\.txt \(too-large\)/);
  });
});

describe("leakstop scan --format sarif and public values", () => {
  it("lists the public rules in the driver at level none, and reports no publishable key", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-sarif-public-"));
    writeFileSync(join(dir, "checkout.js"), `const stripe = Stripe("pk_live_${base62(40)}");\n`);
    const r = leakstop(["scan", dir, "--format", "sarif"]);
    assert.equal(r.code, 0, r.stderr);
    const run = JSON.parse(r.stdout).runs[0];
    assert.deepEqual(run.results, []);
    type Descriptor = { id: string; defaultConfiguration: { level: string }; properties: { public?: boolean } };
    const byId = new Map((run.tool.driver.rules as Descriptor[]).map((d) => [d.id, d]));
    assert.equal(byId.get("stripe-publishable-key")?.defaultConfiguration.level, "none");
    assert.equal(byId.get("stripe-publishable-key")?.properties.public, true);
    assert.equal(byId.get("stripe-secret-key")?.defaultConfiguration.level, "error");
    assert.equal(byId.get("stripe-secret-key")?.properties.public, undefined);
  });
});
