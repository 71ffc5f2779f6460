/** A cat-file visitor that keeps every object it is shown, whole, for tests of both cat-file readers. */
import type { ObjectHeader } from "../../src/sources/git/cat-file.js";

export function objectCollector() {
  const objects: { h: ObjectHeader; data: Buffer }[] = [];
  let parts: Buffer[] = [];
  return {
    objects,
    visitor: {
      start(h: ObjectHeader) {
        objects.push({ h, data: Buffer.alloc(0) });
        parts = [];
      },
      data(b: Buffer) {
        parts.push(Buffer.from(b));
      },
      end() {
        objects[objects.length - 1]!.data = Buffer.concat(parts);
      },
    },
  };
}
