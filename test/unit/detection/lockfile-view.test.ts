/** An npm lockfile's SRI hashes and public tarball URLs read as blanks; any other value as it is. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lockfileView } from "../../../src/detection/lockfile-view.js";
import { lockEntry, SRI, TARBALL } from "../../helpers/npm-lockfile.js";
import { base62 } from "../../helpers/secrets.js";

function viewed(path: string, text: string): string {
  const data = Buffer.from(text);
  const view = lockfileView(path, data);
  assert.equal(data.toString(), text, "the text itself is left as it is");
  assert.equal(view.length, data.length);
  return view.toString();
}

describe("lockfile view", () => {
  it("blanks a lockfile's SRI hashes and public tarball URLs, not URLs with userinfo, a query or another host", () => {
    const kept = [
      `https://ci:${base62(20)}@registry.npmjs.org/p/-/p-1.0.0.tgz`,
      "https://npm.pkg.example.io/p/-/p-1.0.0.tgz",
      "https://registry.npmjs.org/p/-/p-1.0.0.tgz?token=abc",
      "git+ssh://git@github.com/o/p.git#0123abc",
    ];
    const lock = `{\n  "packages": {\n${[TARBALL, ...kept].map((u) => lockEntry(u)).join(",\n")},\n${lockEntry(TARBALL, "sha512-not base64!")}\n  }\n}\n`;
    const out = viewed("web/package-lock.json", lock);
    assert.ok(!out.includes(TARBALL));
    for (const url of kept) assert.ok(out.includes(`"resolved": "${url}"`), url);
    assert.ok(!out.includes(SRI));
    assert.ok(out.includes('"integrity": "sha512-not base64!"'));
    assert.equal(out.split("\n").length, lock.split("\n").length);
    assert.equal(viewed("web/lock.json", lock), lock);
    assert.ok(!viewed("npm-shrinkwrap.json", lock).includes(SRI));
  });
});
