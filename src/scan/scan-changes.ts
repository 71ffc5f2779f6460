/**
 * The core of `--range` and `--staged`: each changed file's new blob is scanned whole (so
 * multi-line secrets and rules that read context around a secret still work), and a finding is
 * kept only if one of its lines is a line the change added.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "../detection/compile.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import { LeakstopError } from "../lib/errors.js";
import { type Ignore, ignore } from "../lib/gitignore.js";
import { escapeControlCharacters } from "../output/paths.js";
import type { FragmentOrigin } from "../sources/fragment.js";
import { wholeFragment } from "../sources/fragment.js";
import type { ObjectHeader } from "../sources/git/cat-file.js";
import type { CatFile } from "../sources/git/cat-file-blocking.js";
import type { FileChange } from "../sources/git/diff-parse.js";
import { GitLineMap, hasLoneCr, type LineRange, touchesRanges } from "../sources/git/line-ranges.js";
import { CHUNK_SIZE, decodeUtf16, firstColumnOf, looksBinary, utf16BomOf } from "../sources/read-chunks.js";
import { addedRegions, REGION_MIN_BLOB } from "./added-regions.js";
import { crAddedLines } from "./cr-added-lines.js";
import { scanFile } from "./scan-file.js";

export interface ChangeScanOptions extends DetectOptions {
  /** Bytes; 0 = no cap. A larger blob is skipped (and listed). */
  maxFileSize: number;
  /** Paths not to scan, .gitignore syntax relative to the repository's top (the config's scan.exclude). */
  exclude?: string[];
}

export type ChangeSkipReason = "binary" | "too-large" | "excluded" | "missing";

export interface ChangeStats {
  /** Blobs scanned and their bytes. */
  files: number;
  bytes: number;
  commits: number;
  skipped: { rel: string; reason: ChangeSkipReason }[];
}

/** Where a changed file's finding comes from, minus its path. */
export type ChangeOrigin = Omit<FragmentOrigin, "path">;

const SUBMODULE_MODE = "160000";

/**
 * A blob with lone `\r` breaks whose findings wait for the file before the change: git saw its
 * CR-only lines as one changed line (scan/cr-added-lines.ts).
 */
interface CrPending {
  data: Buffer;
  added: readonly LineRange[];
  found: Finding[];
  oldBlobs: string[];
}

/** One blob being received: small ones are kept in memory, large ones spill to a temporary file. */
interface Receiving {
  change: FileChange;
  size: number;
  parts: Buffer[];
  fd: number | null;
  file: string | null;
  /** A `\r` arrived (a spilled blob is read again to translate its line numbers). */
  sawCr: boolean;
}

export class ChangeScanner {
  readonly findings: Finding[] = [];
  readonly stats: ChangeStats = { files: 0, bytes: 0, commits: 0, skipped: [] };
  private spillDir: string | null = null;
  private readonly excluded: Ignore | null;
  private crPending: CrPending[] = [];
  /** Blobs of the current call that git could not find. */
  private lost: { path: string; oid: string }[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly cat: CatFile,
    private readonly opts: ChangeScanOptions,
  ) {
    this.excluded = opts.exclude && opts.exclude.length > 0 ? ignore().add(opts.exclude) : null;
  }

  /** Scans the added lines of `files` (one commit's, or the index's). */
  async scanFiles(files: readonly FileChange[], origin: ChangeOrigin): Promise<void> {
    const wanted: FileChange[] = [];
    for (const f of files) {
      if (f.deleted || f.mode === SUBMODULE_MODE) continue;
      if (this.excluded?.ignores(f.path)) {
        this.stats.skipped.push({ rel: f.path, reason: "excluded" });
        continue;
      }
      // git shows no lines for a binary file, so which ones it adds is unknown: listed as skipped.
      if (f.binary) this.stats.skipped.push({ rel: f.path, reason: "binary" });
      else if (f.blob && f.added.length > 0) wanted.push(f);
    }
    if (wanted.length === 0) return;
    this.lost = [];
    let current: Receiving | null = null;
    let i = 0;
    await this.cat.read(
      wanted.map((f) => f.blob!),
      {
        start: (h: ObjectHeader) => {
          current = this.receive(wanted[i++]!, h);
        },
        data: (bytes: Buffer) => {
          const r = current as Receiving | null;
          if (!r) return;
          if (r.fd !== null) {
            writeSync(r.fd, bytes);
            if (!r.sawCr && bytes.indexOf(13) !== -1) r.sawCr = true;
          } else r.parts.push(Buffer.from(bytes));
        },
        end: () => {
          const r = current as Receiving | null;
          current = null;
          if (r) this.finish(r, origin);
        },
      },
    );
    if (this.crPending.length > 0) await this.settleCrPending();
    // A blob the diff names but git cannot read: a damaged (or incomplete) object store. Added lines
    // left unread must not pass for clean ones (a hook would let the commit through).
    const lost = this.lost;
    if (lost.length > 0)
      throw new LeakstopError(
        "LS_GIT_FAILED",
        `git cannot read ${lost.length === 1 ? "the blob" : `${lost.length} blobs`} of ${escapeControlCharacters(lost[0]!.path)} (${lost[0]!.oid.slice(0, 12)})${lost.length > 1 ? " and others" : ""}: the repository is damaged or incomplete (git fsck)`,
      );
  }

  /** Keeps the findings of CR-only texts on lines the old blobs (read now, in one pass) lack. */
  private async settleCrPending(): Promise<void> {
    const pending = this.crPending;
    this.crPending = [];
    const ids = [...new Set(pending.flatMap((p) => p.oldBlobs))];
    const olds = new Map<string, Buffer | null>();
    let id = "";
    let parts: Buffer[] | null = null;
    let i = 0;
    await this.cat.read(ids, {
      start: (h: ObjectHeader) => {
        id = ids[i++]!;
        // a file before the change too large to hold keeps git's verdict (every line added)
        parts = h.type === "blob" && h.size <= CHUNK_SIZE ? [] : null;
      },
      data: (bytes: Buffer) => {
        parts?.push(Buffer.from(bytes));
      },
      end: () => {
        let old: Buffer | null = parts ? Buffer.concat(parts) : null;
        const utf16 = old && utf16BomOf(old);
        if (old && utf16) old = decodeUtf16(old, utf16);
        olds.set(id, old);
        parts = null;
      },
    });
    for (const p of pending) {
      const before = p.oldBlobs.map((b) => olds.get(b) ?? null);
      const added = before.every((b) => b !== null) ? crAddedLines(p.data, p.added, before as Buffer[]) : p.added;
      for (const f of p.found) if (touchesRanges(added, f.startLine, f.endLine)) this.findings.push(f);
    }
  }

  /** Scans a commit message (path "", lines counted within the message). */
  scanMessage(message: string, origin: ChangeOrigin): void {
    if (message === "") return;
    const frag = wholeFragment(Buffer.from(message, "utf8"), { ...origin, path: "" });
    for (const f of detectFragment(this.engine, frag, this.opts)) this.findings.push(f);
  }

  close(): void {
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    this.spillDir = null;
  }

  /** Decides how to take the blob that starts arriving: skip, keep in memory, or spill to disk. */
  private receive(change: FileChange, h: ObjectHeader): Receiving | null {
    if (h.type !== "blob") {
      if (h.type === "missing") this.lost.push({ path: change.path, oid: h.oid });
      this.stats.skipped.push({ rel: change.path, reason: "missing" });
      return null;
    }
    if (this.opts.maxFileSize > 0 && h.size > this.opts.maxFileSize) {
      this.stats.skipped.push({ rel: change.path, reason: "too-large" });
      return null;
    }
    if (h.size <= CHUNK_SIZE) return { change, size: h.size, parts: [], fd: null, file: null, sawCr: false };
    this.spillDir ??= mkdtempSync(join(tmpdir(), "leakstop-blob-"));
    const file = join(this.spillDir, "blob");
    return { change, size: h.size, parts: [], fd: openSync(file, "w", 0o600), file, sawCr: false };
  }

  private finish(r: Receiving, origin: ChangeOrigin): void {
    const fileOrigin: FragmentOrigin = { ...origin, path: r.change.path };
    let found: Finding[];
    let pending: CrPending | null = null;
    // git counts lines at `\n` only; the engine also at a lone `\r`: its added lines are translated
    let added: readonly LineRange[] = r.change.added;
    if (r.fd !== null && r.file) {
      closeSync(r.fd);
      const res = scanFile(this.engine, { abs: r.file, rel: r.change.path }, fileOrigin, this.opts);
      if (res.skipped) {
        rmSync(r.file, { force: true });
        this.stats.skipped.push({ rel: r.change.path, reason: res.skipped === "binary" ? "binary" : "missing" });
        return;
      }
      found = res.findings;
      if (r.sawCr) added = engineLinesOfFile(r.file, added);
      rmSync(r.file, { force: true });
    } else {
      let data: Buffer = Buffer.concat(r.parts, r.size);
      const utf16 = utf16BomOf(data);
      if (utf16) data = decodeUtf16(data, utf16);
      if (looksBinary(data)) {
        this.stats.skipped.push({ rel: r.change.path, reason: "binary" });
        return;
      }
      found = [];
      const loneCr = hasLoneCr(data);
      if (loneCr) added = engineLines(data, added);
      if (loneCr && r.change.oldBlobs.length > 0) pending = { data, added, found, oldBlobs: r.change.oldBlobs };
      // added regions are cut at `\n`: a text with lone `\r` breaks is scanned whole
      const frags =
        data.length < REGION_MIN_BLOB || loneCr
          ? [{ ...wholeFragment(data, fileOrigin), firstColumn: firstColumnOf(data) }]
          : addedRegions(data, r.change.added, fileOrigin, firstColumnOf(data));
      for (const frag of frags) for (const f of detectFragment(this.engine, frag, this.opts)) found.push(f);
    }
    this.stats.files++;
    this.stats.bytes += r.size;
    if (pending) {
      if (found.length > 0) this.crPending.push(pending);
      return;
    }
    for (const f of found) if (touchesRanges(added, f.startLine, f.endLine)) this.findings.push(f);
  }
}

function engineLines(data: Buffer, added: readonly LineRange[]): LineRange[] {
  const map = new GitLineMap(added);
  map.feed(data);
  return map.engineRanges();
}

/** {@link engineLines} of a spilled blob, read back in chunks (only when it holds a `\r`). */
function engineLinesOfFile(file: string, added: readonly LineRange[]): LineRange[] {
  const map = new GitLineMap(added);
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) map.feed(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return map.engineRanges();
}
