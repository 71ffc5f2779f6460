/**
 * A source map's mappings (sources/inert-spans.ts) and a lockfile's SRI hashes and public-registry
 * tarball URLs (detection/lockfile-view.ts) are read as blanks of the same length; everything around
 * them, and any value that is not exactly of that shape, is read as before, so a key in a map's
 * sources or a credential in a lockfile URL is still found, at its line and column.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { scanTree } from "../../../src/scan/scan-tree.js";
import { blankInertSpans } from "../../../src/sources/inert-spans.js";
import { lockEntry, TARBALL } from "../../helpers/npm-lockfile.js";
import { base62, crcToken } from "../../helpers/secrets.js";

function blanked(path: string, text: string): string {
  const data = Buffer.from(text);
  blankInertSpans(path, data);
  assert.equal(data.length, Buffer.byteLength(text));
  return data.toString();
}

describe("inert spans", () => {
  it("blanks a source map's mappings and nothing else", () => {
    const map = `{"version":3,"sources":["a.js"],"sourcesContent":["const EAAx = 1;\\n"],"names":["EAAx"],"mappings" : "AAAA,MAAMA,EAAE;AACR"}`;
    const out = blanked("dist/a.js.map", map);
    assert.equal(out, map.replace("AAAA,MAAMA,EAAE;AACR", " ".repeat(20)));
    // The same text under another name, or a value outside the VLQ alphabet, is read as it is.
    assert.equal(blanked("dist/a.json", map), map);
    const odd = map.replace("MAAMA", "MA\\u0041MA");
    assert.equal(blanked("dist/a.js.map", odd), odd);
  });

  describe("in a tree scan", () => {
    const root = mkdtempSync(join(tmpdir(), "leakstop-inert-"));
    after(() => rmSync(root, { recursive: true, force: true }));

    it("still finds a key in a map's sources and a credential in a lockfile URL, where they are", async () => {
      const token = crcToken("ghp_");
      const password = base62(20);
      mkdirSync(join(root, "dist"));
      const map = `{"version":3,"sourcesContent":["const t = \\"${token}\\";\\n"],"mappings":"AAAA,MAAMA;AACN"}`;
      writeFileSync(join(root, "dist", "app.js.map"), map);
      const lock = `{\n  "packages": {\n${lockEntry(TARBALL)},\n${lockEntry(`https://deploy:${password}@registry.npmjs.org/p/-/p-1.0.0.tgz`)}\n  }\n}\n`;
      writeFileSync(join(root, "package-lock.json"), lock);
      const { findings } = await scanTree(buildRuleSet(null, []), {
        root,
        threads: 1,
        exclude: [],
        showSecrets: true,
        maxFileSize: 0,
      });
      const where = findings.map((f) => [f.ruleId, f.path, f.startLine, f.startColumn, f.match]);
      assert.deepEqual(where, [
        ["github-pat", "dist/app.js.map", 1, map.indexOf(token) + 1, token],
        ["url-basic-auth-credentials", "package-lock.json", 8, 35, password],
      ]);
    });
  });
});
