/**
 * The Lua scripts ship in the package: the build copies them next to the compiled modules, the
 * package's `files` carry them, and a copy of dist/ alone (no src/ anywhere near it) creates,
 * verifies and revokes a key through them, with `defineCommand` registering each script once.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

const run = promisify(execFile);

function luaUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return luaUnder(p);
    return e.name.endsWith(".lua") ? [relative("src", p)] : [];
  });
}

const CHILD = `
import { Redis } from "ioredis";
import { Registry, ROLE_SCOPES } from "./dist/src/registry/index.js";
const redis = new Redis(process.argv[1]);
const registry = new Registry(redis, { issuer: "lsk", auditSigner: null, webhookAllow: [] });
const { key, record } = await registry.create({ owner: { id: "o" }, scopes: ROLE_SCOPES.issuer }, "test");
const before = (await registry.verify(key)).valid;
await registry.revoke(record.id, "shipped-lua check", "test");
const afterRevoke = (await registry.verify(key)).valid;
const commands = Object.keys(redis.scriptsSet ?? {}).filter((n) => n.startsWith("ls")).sort();
await registry.close();
redis.disconnect();
process.stdout.write(JSON.stringify({ before, afterRevoke, commands }));
`;

describe("Lua scripts in the package", () => {
  let server: RedisServer;
  let dir: string;
  before(async () => {
    server = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), "leakstop-dist-only-"));
  });
  after(async () => {
    await server?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every src/**/lua/*.lua is copied, byte for byte, next to its compiled module", () => {
    const files = luaUnder("src");
    assert.ok(files.length >= 9, `found ${files.length} .lua files`);
    for (const f of files) {
      assert.equal(readFileSync(join("dist/src", f), "utf8"), readFileSync(join("src", f), "utf8"), f);
    }
  });

  it("the package's files include them and no compiled module reads from ../../../src", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { files: string[] };
    assert.ok(pkg.files.includes("dist/src/"), "files ships dist/src/ (lua/ folders included)");
    assert.ok(!pkg.files.some((f) => f.startsWith("src")), "the sources are not shipped");
    const offenders = readdirSync("dist/src", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".js"))
      .filter((f) => readFileSync(join("dist/src", f), "utf8").includes("../../../src/"));
    assert.deepEqual(offenders, []);
  });

  it("a copy of dist/ alone runs create, verify and revoke through the defined commands", async () => {
    cpSync("dist/src", join(dir, "dist/src"), { recursive: true });
    symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
    cpSync("package.json", join(dir, "package.json"));
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", CHILD, server.url], { cwd: dir });
    const out = JSON.parse(stdout) as { before: boolean; afterRevoke: boolean; commands: string[] };
    assert.equal(out.before, true);
    assert.equal(out.afterRevoke, false);
    assert.ok(
      out.commands.includes("lsRegistryCreate") && out.commands.includes("lsRegistryRevoke"),
      String(out.commands),
    );
  });
});
