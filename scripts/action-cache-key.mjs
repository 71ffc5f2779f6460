#!/usr/bin/env node
// Prints the cache key of the Action's installed copy (node_modules + dist): OS, CPU, Node's ABI (the
// re2 addon is built for one) and a hash of everything `npm ci` and the build read (build scripts
// included). The Action runs it because workflow expressions cannot hash files outside the
// workspace (hashFiles).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

function files(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

const hash = createHash("sha256");
const read = ["package.json", "package-lock.json", "tsconfig.json", "src", "detectors", "scripts"].flatMap(files);
for (const file of read) {
  hash.update(`${file}\0`).update(readFileSync(file)).update("\0");
}
const abi = process.versions.modules;
process.stdout.write(`leakstop-${process.platform}-${process.arch}-abi${abi}-${hash.digest("hex").slice(0, 32)}\n`);
