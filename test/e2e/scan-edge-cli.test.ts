/**
 * `leakstop scan` on the awkward trees a real user has: a symlinked root, a broken one, an
 * unreadable root, a FIFO, UTF-16 and BOM files, file names that are not UTF-8, UTF-16 and binary
 * standard input, output piped into `head`, `--quiet`, config
 * mistakes in overrides and allowlists. Each either works or fails with one `leakstop: ` line.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crcToken } from "../helpers/secrets.js";
import { CLI, leakstop, oneLineError } from "./cli.js";

const isRoot = process.getuid?.() === 0;

function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `leakstop-${tag}-`));
}

type Json = { path: string; startLine: number; startColumn: number; endColumn: number; match: string }[];

describe("leakstop scan: roots", () => {
  it("follows a symlinked root but never a symlink inside it", () => {
    const real = tempDir("real");
    const outside = tempDir("outside");
    writeFileSync(join(real, "a.env"), `T=${crcToken("ghp_")}\n`);
    writeFileSync(join(outside, "b.env"), `T=${crcToken("ghp_")}\n`);
    symlinkSync(outside, join(real, "out"));
    const link = join(tempDir("link"), "project");
    symlinkSync(real, link);
    const r = leakstop(["scan", link, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as Json).map((f) => f.path),
      ["a.env"],
    );
  });

  it("says a broken symlink root is not found", () => {
    const link = join(tempDir("broken"), "gone");
    symlinkSync("/nonexistent/leakstop", link);
    oneLineError(leakstop(["scan", link]), /path not found: .*gone \(a broken symlink\)/);
  });

  it("fails on a root it cannot read instead of reporting it clean", { skip: isRoot && "root reads anything" }, () => {
    const dir = tempDir("noread");
    const locked = join(dir, "locked");
    mkdirSync(locked);
    writeFileSync(join(dir, "locked.env"), `T=${crcToken("ghp_")}\n`);
    chmodSync(locked, 0o000);
    chmodSync(join(dir, "locked.env"), 0o000);
    try {
      oneLineError(leakstop(["scan", locked]), /cannot read .*locked: EACCES/);
      oneLineError(leakstop(["scan", join(dir, "locked.env")]), /cannot read .*locked\.env: EACCES/);
      const r = leakstop(["scan", dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^leakstop: warning: 2 files or folders could not be read/);
    } finally {
      chmodSync(locked, 0o755);
      chmodSync(join(dir, "locked.env"), 0o644);
    }
  });

  it("skips a FIFO in the tree without blocking, and lists it with --verbose", () => {
    const dir = tempDir("fifo");
    writeFileSync(join(dir, "a.env"), `T=${crcToken("ghp_")}\n`);
    const mk = spawnSync("mkfifo", [join(dir, "pipe")]);
    if (mk.status !== 0) return; // no mkfifo here
    const r = leakstop(["scan", dir, "--verbose", "--format", "jsonl"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /skipped pipe \(special\)/);
  });
});

describe("leakstop scan: encodings", () => {
  it("finds keys in UTF-16 files with a BOM, after a UTF-8 BOM and after invalid UTF-8, at exact columns", () => {
    const dir = tempDir("enc");
    const tokens = [crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_"), crcToken("ghp_")];
    const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, "utf16le")]);
    writeFileSync(join(dir, "deploy.ps1"), utf16(`# deploy\r\n$token = "${tokens[0]}"\r\n`));
    writeFileSync(
      join(dir, "acme.reg"),
      utf16(`Windows Registry Editor Version 5.00\r\n\r\n"Token"="${tokens[1]}"\r\n`),
    );
    writeFileSync(join(dir, "bom.env"), `\uFEFFT=${tokens[2]}\n`);
    writeFileSync(join(dir, "bad.txt"), Buffer.concat([Buffer.from([0x41, 0xff, 0x80]), Buffer.from(` ${tokens[3]}`)]));
    const r = leakstop(["scan", dir, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as Json).map((f) => [f.path, f.startLine, f.startColumn, f.endColumn]),
      [
        ["acme.reg", 3, 10, 50],
        ["bad.txt", 1, 5, 45],
        ["deploy.ps1", 2, 11, 51],
        ["bom.env", 1, 3, 43], // config after code
      ],
    );
  });
});

describe("leakstop scan: output", () => {
  const dir = tempDir("out");
  writeFileSync(join(dir, "a.env"), `T=${crcToken("ghp_")}\n`);

  it("--quiet prints only the findings, and nothing for a clean tree", () => {
    const r = leakstop(["scan", dir, "--quiet"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trimEnd().split("\n").length, 1);
    assert.doesNotMatch(r.stdout, /leaks? found/);
    const clean = tempDir("clean");
    writeFileSync(join(clean, "a.txt"), "nothing\n");
    const c = leakstop(["scan", clean, "--quiet"]);
    assert.deepEqual([c.code, c.stdout, c.stderr], [0, "", ""]);
  });

  it("ends quietly when the reader of its output goes away (| head)", () => {
    const errFile = join(tempDir("epipe"), "stderr.txt");
    const sh = `"${process.execPath}" "${CLI}" rules list --format json 2>"${errFile}" | head -c 1 >/dev/null`;
    const r = spawnSync("sh", ["-c", sh], { encoding: "utf8" });
    assert.equal(r.status, 0);
    assert.equal(readFileSync(errFile, "utf8"), "");
  });

  it("names the --output file and the reason when it cannot be written", () => {
    oneLineError(
      leakstop(["scan", dir, "--output", "/nonexistent/leakstop/report.json"]),
      /cannot write --output \/nonexistent\/leakstop\/report\.json: the folder \/nonexistent\/leakstop does not exist/,
    );
  });
});

describe("leakstop scan: config mistakes", () => {
  it("rejects an override of a built-in rule with a bad regex, naming the config file", () => {
    const dir = tempDir("ovr");
    writeFileSync(join(dir, "a.txt"), "nothing to see\n");
    writeFileSync(join(dir, ".leakstop.toml"), '[[rules]]\nid = "github-pat"\nregex = "(unclosed"\n');
    oneLineError(leakstop(["scan", dir]), /\.leakstop\.toml:3:1: rule "github-pat": regex does not compile/);
  });

  it("rejects a bad allowlist regex, naming the config file", () => {
    const dir = tempDir("al");
    writeFileSync(join(dir, ".leakstop.toml"), "[allowlist]\nregexes = ['''(bad''']\n");
    oneLineError(leakstop(["scan", dir]), /\.leakstop\.toml:2:1: allowlist: regex does not compile/);
  });
});

describe("leakstop rules test FILE", () => {
  it("names a rule file outside detectors/ as given", () => {
    const dir = tempDir("rt");
    writeFileSync(join(dir, "mine.toml"), '[[rules]]\nid = "acme-y"\n');
    // Each of the rule's problems on its own line, at the rule's table.
    const r = leakstop(["rules", "test", "mine.toml"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines[0], 'leakstop: mine.toml:1:1: rule "acme-y": missing "provider"');
    assert.ok(lines.length > 1 && lines.every((l) => l.startsWith("leakstop: mine.toml:1:1: ")), r.stderr);
  });
});

describe("leakstop scan: --stdin with a PATH", () => {
  it("is a usage error rather than a silently ignored path", () => {
    oneLineError(leakstop(["scan", "--stdin", "src"], { input: "x\n" }), /--stdin reads standard input, not "src"/);
    oneLineError(leakstop(["scan", ".", "--stdin-name", "x"]), /--stdin-name needs --stdin/);
  });
});

describe("leakstop scan: names and standard input in other encodings", () => {
  it("scans files whose names are not UTF-8 and reports their paths with those bytes escaped", () => {
    const dir = tempDir("latin1");
    // "données/café.env" written in Latin-1, as an old archive or a Windows share leaves it.
    const folder = Buffer.concat([Buffer.from(`${dir}/donn`), Buffer.from([0xe9]), Buffer.from("es")]);
    mkdirSync(folder);
    const file = Buffer.concat([folder, Buffer.from("/caf"), Buffer.from([0xe9]), Buffer.from(".env")]);
    writeFileSync(file, `T=${crcToken("ghp_")}\n`);
    writeFileSync(join(dir, "plain.env"), `T=${crcToken("ghp_")}\n`);
    const r = leakstop(["scan", dir, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, "");
    assert.deepEqual(
      (JSON.parse(r.stdout) as Json).map((f) => [f.path, f.startLine, f.startColumn]),
      [
        ["donn\udce9es/caf\udce9.env", 1, 3], // JSON's "\udce9": the byte E9, as Python's surrogateescape
        ["plain.env", 1, 3],
      ],
    );
    assert.ok(r.stdout.includes('"path": "donn\\udce9es/caf\\udce9.env"'), r.stdout);
    const text = leakstop(["scan", dir]);
    assert.equal(text.code, 1, text.stderr);
    assert.ok(text.stdout.includes("donn\\udce9es/caf\\udce9.env:1:3"), text.stdout);
    const sarif = leakstop(["scan", dir, "--format", "sarif"]);
    assert.equal(sarif.code, 1, sarif.stderr);
    const uris = (
      JSON.parse(sarif.stdout) as {
        runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
      }
    ).runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    assert.deepEqual(uris, ["donn%E9es/caf%E9.env", "plain.env"]);
  });

  it("--stdin reads UTF-16 with a byte-order mark as a file would, at the same columns", () => {
    const token = crcToken("ghp_");
    const text = `# deploy\r\n$token = "${token}"\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);
    for (const input of [le, be]) {
      const r = leakstop(["scan", "--stdin", "--stdin-name", "deploy.ps1", "--format", "json"], { input });
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(
        (JSON.parse(r.stdout) as Json).map((f) => [f.path, f.startLine, f.startColumn, f.endColumn]),
        [["deploy.ps1", 2, 11, 51]],
      );
    }
  });

  it("--stdin says in one line that it skipped binary input, and --quiet keeps that quiet", () => {
    const input = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00]),
      Buffer.from(`T=${crcToken("ghp_")}\n`),
    ]);
    const r = leakstop(["scan", "--stdin"], { input });
    assert.equal(r.code, 0, r.stdout);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^leakstop: warning: standard input looks binary .*not scanned$/);
    // The summary does not count the skipped input as a scanned file.
    assert.match(r.stdout, /^no leaks found · skipped binary input \(\d+ B\), scanned 0 files in [\d,]+ ms\n$/);
    assert.doesNotMatch(r.stdout, /scanned 1 file/);
    assert.equal(leakstop(["scan", "--stdin", "--quiet"], { input }).stderr, "");
  });
});
