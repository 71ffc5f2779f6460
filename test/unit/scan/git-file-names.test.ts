/**
 * A file name that is not valid UTF-8 (Latin-1 "café") in git sources: reported as a tree scan
 * reports it (`caf\udce9.txt`, so its SARIF URI is `caf%E9.txt`, the file itself), not as U+FFFD,
 * whatever the user's core.quotepath says. Real git repos.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { scanHistory } from "../../../src/scan/scan-history.js";
import { scanRange } from "../../../src/scan/scan-range.js";
import { scanStaged } from "../../../src/scan/scan-staged.js";
import { type GitRepo, tempRepos } from "../../helpers/git-repo.js";
import { crcToken } from "../../helpers/secrets.js";

const ruleSet = buildRuleSet(null, []);
const repo = tempRepos();
const NAME = Buffer.concat([Buffer.from("caf"), Buffer.from([0xe9]), Buffer.from(".txt")]);
const REPORTED = "caf\udce9.txt";

function stageLatin1Name(r: GitRepo, quotePath: boolean): string {
  r.git("config", "core.quotepath", String(quotePath));
  const token = crcToken("ghp_");
  writeFileSync(Buffer.concat([Buffer.from(`${r.dir}/`), NAME]), `TOKEN=${token}\n`);
  r.git("add", "-A");
  return token;
}

describe("non-UTF-8 file names in git sources", () => {
  for (const quotePath of [true, false]) {
    it(`staged, range and history report the name as a tree scan does (core.quotepath=${quotePath})`, async () => {
      const r = repo();
      const c0 = r.commit("base", { files: { "README.md": "hi\n" } });
      stageLatin1Name(r, quotePath);
      const staged = await scanStaged(ruleSet, { repo: r.dir, showSecrets: true, maxFileSize: 0 });
      assert.deepEqual(
        staged.findings.map((f) => f.path),
        [REPORTED],
      );
      const c1 = r.commit("latin-1 name");
      const range = await scanRange(ruleSet, { repo: r.dir, range: `${c0}..${c1}`, showSecrets: true, maxFileSize: 0 });
      assert.deepEqual(
        range.findings.map((f) => f.path),
        [REPORTED],
      );
      const history = await scanHistory(ruleSet, { repo: r.dir, showSecrets: true, maxFileSize: 0, threads: 1 });
      assert.deepEqual(
        history.findings.map((f) => [f.path, f.commit]),
        [[REPORTED, c1]],
      );
    });
  }
});
