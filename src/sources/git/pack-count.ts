/**
 * How many objects a repository's pack files hold, read from their indexes' headers (no git run):
 * a size a history scan can know before its listing, to start its worker threads early.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** A pack index v2 starts with "\377tOc", version 2, then 256 fan-out counts (big-endian); v1 with the counts. */
const IDX_MAGIC = 0xff744f63;
const FANOUT_LAST = 255 * 4;

/**
 * Objects in the packs of `gitDir` (a linked work tree's: its common dir's); loose objects, alternates
 * and GIT_OBJECT_DIRECTORY are not counted. 0 when there are none or they cannot be read.
 */
export function packedObjects(gitDir: string): number {
  let total = 0;
  try {
    const packDir = join(objectsDir(gitDir), "pack");
    const head = Buffer.alloc(8 + FANOUT_LAST + 4);
    for (const name of readdirSync(packDir)) {
      if (!name.endsWith(".idx")) continue;
      const fd = openSync(join(packDir, name), "r");
      try {
        if (readSync(fd, head, 0, head.length, 0) !== head.length) continue;
      } finally {
        closeSync(fd);
      }
      total += head.readUInt32BE(0) === IDX_MAGIC ? head.readUInt32BE(8 + FANOUT_LAST) : head.readUInt32BE(FANOUT_LAST);
    }
  } catch {
    // No pack folder, or one we cannot read: count what was read.
  }
  return total;
}

/** What a repository stores: its objects (packed and loose) and their bytes on disk (compressed). */
export interface StoredSize {
  objects: number;
  bytes: number;
}

const LOOSE_DIR = /^[0-9a-f]{2}$/;

/**
 * Whether the object store of `gitDir` (or of the work tree at `gitDir`) holds at most `limit` (objects and bytes, packed and loose),
 * read from the file system (pack index headers, pack and loose file sizes; no git run). Counting
 * stops as soon as a limit is passed. A store with alternates (objects kept elsewhere) or one that
 * cannot be read is never within.
 */
export function storedWithin(gitDir: string, limit: StoredSize): boolean {
  // A work tree's top (its .git a folder) is read as its git dir.
  const dot = join(gitDir, ".git");
  const dir = objectsDir(existsSync(join(dot, "objects")) ? dot : gitDir);
  if (existsSync(join(dir, "info", "alternates"))) return false;
  const total: StoredSize = { objects: packedObjects(dirname(dir)), bytes: 0 };
  const over = () => total.objects > limit.objects || total.bytes > limit.bytes;
  try {
    const packDir = join(dir, "pack");
    for (const name of existsSync(packDir) ? readdirSync(packDir) : []) {
      if (name.endsWith(".pack")) total.bytes += statSync(join(packDir, name)).size;
      if (over()) return false;
    }
    for (const sub of readdirSync(dir)) {
      if (!LOOSE_DIR.test(sub)) continue;
      for (const name of readdirSync(join(dir, sub))) {
        total.objects++;
        total.bytes += statSync(join(dir, sub, name)).size;
        if (over()) return false;
      }
    }
  } catch {
    return false;
  }
  return !over();
}

/** gitDir/objects, or for a linked work tree's git dir the objects of the dir its `commondir` names. */
function objectsDir(gitDir: string): string {
  try {
    const common = readFileSync(join(gitDir, "commondir"), "utf8").trim();
    if (common) return join(isAbsolute(common) ? common : resolve(gitDir, common), "objects");
  } catch {
    // Not a linked work tree.
  }
  return join(gitDir, "objects");
}
