#!/usr/bin/env node
// Build step after tsc: copies every src/**/lua/*.lua next to its compiled module (dist/src/**/lua/),
// because tsc copies only .ts output and the package ships dist/, never src/ (see src/redis/script.ts).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const SRC = "src";
const OUT = join("dist", "src");

function luaFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return luaFiles(p);
    return e.name.endsWith(".lua") && dir.split("/").at(-1) === "lua" ? [p] : [];
  });
}

const files = luaFiles(SRC);
for (const file of files) {
  const target = join(OUT, relative(SRC, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}
process.stdout.write(`lua: ${files.length} scripts copied into ${OUT}/\n`);
