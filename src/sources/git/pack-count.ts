/**
 * How many objects a repository's pack files hold, read from their indexes' headers (no git run):
 * a size a history scan can know before its listing, to start its worker threads early.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

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
