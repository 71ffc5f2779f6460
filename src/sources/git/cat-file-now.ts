/**
 * `git cat-file --batch` run to the end for each request while this thread waits (runGitBuffer):
 * no pipes, streams or events in node, which for a pre-commit's few small blobs cost more than
 * git's own millisecond. Answers bigger than `maxBytes` are streamed by a CatFileBatch instead.
 * Given the repository's object folder, blobs that are all loose objects (what `git add` writes)
 * are read from there, without starting git at all (loose-objects.ts).
 */
import { LeakstopError } from "../../lib/errors.js";
import { BatchParser, CatFileBatch, type ObjectVisitor } from "./cat-file.js";
import type { CatFile } from "./cat-file-blocking.js";
import { visitLooseBlobs } from "./loose-objects.js";
import { runGitBuffer } from "./run-git.js";

export class CatFileNow implements CatFile {
  private streamed: CatFileBatch | null = null;
  private closed = false;

  constructor(
    private readonly repo: string,
    private readonly maxBytes: number,
    /** The repository's object folder (`.git/objects`), to read loose blobs from first. */
    private readonly objects?: string,
  ) {}

  async read(oids: string[], visitor: ObjectVisitor): Promise<void> {
    if (this.closed) throw new LeakstopError("LS_GIT_FAILED", "git cat-file closed");
    if (oids.length === 0) return;
    if (this.streamed === null) {
      if (this.objects !== undefined && visitLooseBlobs(this.objects, oids, this.maxBytes, visitor)) return;
      const out = runGitBuffer(this.repo, ["cat-file", "--batch"], this.maxBytes, `${oids.join("\n")}\n`);
      if (out !== null) {
        const parser = new BatchParser(visitor);
        parser.push(out);
        if (parser.count !== oids.length) throw new LeakstopError("LS_GIT_FAILED", "git cat-file ended early");
        return;
      }
      this.streamed = CatFileBatch.open(this.repo);
    }
    await this.streamed.read(oids, visitor);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.streamed?.close();
  }
}
