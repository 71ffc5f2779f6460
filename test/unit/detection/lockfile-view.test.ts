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

  it("blanks package names, object keys and semver ranges, not a dependency given by URL, git, path or tag", () => {
    const kept = [
      `"private-pkg": "https://ci:${base62(20)}@npm.example.io/p.tgz"`,
      '"from-git": "git+ssh://git@github.com/o/p.git#0123abc"',
      '"local": "file:../local"',
      '"tagged": "next"',
      '"url": "https://github.com/sponsors/someone"',
    ];
    const lock = `{\n  "packages": {\n    "node_modules/@aws-sdk/token-accessor": {\n      "version": "7.0.0-rc.1",\n      "dependencies": {\n        "js-tokens": "^4.0.0 || >= 5.1",\n        ${kept.join(",\n        ")}\n      },\n      "engines": { "node": ">=6.9.0" }\n    }\n  }\n}\n`;
    const out = viewed("package-lock.json", lock);
    for (const gone of ["token-accessor", "7.0.0-rc.1", "js-tokens", "^4.0.0", "engines", ">=6.9.0", "packages"])
      assert.ok(!out.includes(gone), gone);
    for (const entry of kept) assert.ok(out.includes(entry), entry);
    assert.equal(out.split("\n").length, lock.split("\n").length);
  });
});
