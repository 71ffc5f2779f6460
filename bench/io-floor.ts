/**
 * The I/O floor: walk a tree and read every file once, nothing else (run as its own process
 * so its time includes node's start-up, like the scanner's). Skips .git like the scanner.
 * Usage: node dist/bench/io-floor.js ROOT  → prints "<files> <bytes>".
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

async function walk(dir: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name === ".git") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile()) out.push(p);
  }
}

async function main(root: string): Promise<void> {
  const files: string[] = [];
  await walk(root, files);
  let bytes = 0;
  let next = 0;
  // A few reads in flight, as a scanner's reader would keep.
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      bytes += (await readFile(f)).length;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  process.stdout.write(`${files.length} ${bytes}\n`);
}

main(process.argv[2] ?? ".").catch((err: unknown) => {
  process.stderr.write(`io-floor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
