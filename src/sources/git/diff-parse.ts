/**
 * Reads git's unified diff output (`git diff`/`git log -p` with `--full-index`, any context size)
 * one line at a time and yields, per changed file, its new path, new blob id and the line numbers
 * it adds in the new file. Keeps counters and the hunk's last removed and added lines (for the
 * end-of-file newline check), never the added text of a whole file.
 */
import { fileNameTextOf } from "../../lib/file-name.js";
import { type LineRange, popLine, pushLine, pushLines } from "./line-ranges.js";

/** One file's change in one diff. */
export interface FileChange {
  /** Path in the new tree (the old path for a deleted file). */
  path: string;
  /** Path before a rename or copy; null otherwise. */
  oldPath: string | null;
  /** Blob id of the new content; null for a deleted file or when git printed no index line. */
  blob: string | null;
  /** New file mode ("100644", "100755", "120000" symlink, "160000" submodule), when git printed it. */
  mode: string | null;
  deleted: boolean;
  /** git called the file binary: no lines, so none are counted as added. */
  binary: boolean;
  /** Lines of the new file this diff adds (1-based, sorted, merged). */
  added: LineRange[];
  /** Blob ids of the file before the change (one per parent of a merge); [] for a new file. */
  oldBlobs: string[];
}

const ZERO_ID = /^0+$/;
const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/**
 * A path as git prints it in a diff: quoted C-style ("a/t\303\251st\tx") when it holds special
 * bytes, else verbatim. Octal escapes are raw bytes, so the result is decoded at the end as a
 * file name (lib/file-name.ts: a byte outside UTF-8 reads as U+DCxx, as in a tree scan).
 */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const body = Buffer.from(text.slice(1, -1), "utf8");
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== 92 || i + 1 >= body.length) {
      bytes.push(c);
      continue;
    }
    const next = String.fromCharCode(body[i + 1]!);
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.toString("latin1", i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(C_ESCAPES[next] ?? body[i + 1]!);
      i += 1;
    }
  }
  return fileNameTextOf(Buffer.from(bytes));
}

/** Strips git's "a/" or "b/" prefix from a (possibly quoted) path; "/dev/null" → null. */
function pathAfterPrefix(text: string): string | null {
  if (text === "/dev/null") return null;
  const path = unquoteGitPath(text);
  return path.startsWith("a/") || path.startsWith("b/") ? path.slice(2) : path;
}

/** "diff --git a/P b/P": the path when both sides are the same (renames are read from "rename to"). */
function pathFromHeader(rest: string): string {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    const second = end === -1 ? rest : rest.slice(end + 2);
    return pathAfterPrefix(second) ?? "";
  }
  // Unquoted: "a/" + p + " b/" + p, so p's length follows from the total.
  const len = (rest.length - 5) / 2;
  return Number.isInteger(len) && len > 0 ? rest.slice(2, 2 + len) : rest.slice(2);
}

/** Incremental parser: feed lines with `line()`, collect files from `onFile`; `end()` flushes the last one. */
export class DiffParser {
  private file: FileChange | null = null;
  private oldLeft = 0;
  private newLeft = 0;
  private newLine = 0;
  /** The hunk's last "-" and "+" lines (text as printed), for the end-of-file newline checks below. */
  private lastMinus: string | null = null;
  private lastPlus: string | null = null;
  private lastKind = 0;
  /** The old file's last line when it had no newline and this hunk removed it. */
  private oldEof: string | null = null;

  constructor(private readonly onFile: (f: FileChange) => void) {}

  /** True while inside a hunk: the line was a content line, not a header. */
  get inHunk(): boolean {
    return this.oldLeft > 0 || this.newLeft > 0;
  }

  line(text: string): void {
    if (this.inHunk && this.file) {
      this.hunkLine(text);
      return;
    }
    if (text.startsWith("\\ ")) {
      this.noNewlineAtEnd();
      return;
    }
    if (text.startsWith("diff --git ")) {
      this.end();
      this.file = {
        path: pathFromHeader(text.slice(11)),
        oldPath: null,
        blob: null,
        mode: null,
        deleted: false,
        binary: false,
        added: [],
        oldBlobs: [],
      };
      return;
    }
    const f = this.file;
    if (!f) return;
    if (text.startsWith("@@ ")) {
      const m = HUNK.exec(text);
      if (!m) return;
      this.oldLeft = m[1] === undefined ? 1 : Number(m[1]);
      this.newLine = Number(m[2]);
      this.newLeft = m[3] === undefined ? 1 : Number(m[3]);
      this.lastMinus = this.lastPlus = this.oldEof = null;
      this.lastKind = 0;
    } else if (text.startsWith("+++ ")) {
      const p = pathAfterPrefix(text.slice(4));
      if (p !== null) f.path = p;
    } else if (text.startsWith("index ")) {
      const [ids, mode] = text.slice(6).split(" ");
      const [before, blob] = ids?.split("..") ?? [];
      if (blob && !ZERO_ID.test(blob)) f.blob = blob;
      if (before && !ZERO_ID.test(before)) f.oldBlobs = [before];
      if (mode) f.mode = mode;
    } else if (text.startsWith("rename to ") || text.startsWith("copy to ")) {
      f.oldPath ??= f.path;
      f.path = unquoteGitPath(text.slice(text.indexOf(" to ") + 4));
    } else if (text.startsWith("rename from ") || text.startsWith("copy from ")) {
      f.oldPath = unquoteGitPath(text.slice(text.indexOf(" from ") + 6));
    } else if (text.startsWith("new file mode ") || text.startsWith("new mode ")) {
      f.mode = text.slice(text.lastIndexOf(" ") + 1);
    } else if (text.startsWith("deleted file mode ")) {
      f.deleted = true;
    } else if (text.startsWith("Binary files ") || text === "GIT binary patch") {
      f.binary = true;
    }
  }

  /**
   * How many of the next lines are known to be `+` lines that need not be read: the rest of a hunk
   * that removes nothing once its old side (context) is used up, so all of a hunk `@@ -a,0 +b,c @@`.
   * A reader may skip them and call {@link skipAdded} instead of decoding each (a new file's lines
   * are all such).
   */
  addedRun(): number {
    // After a removed line the last added one may be it again (noNewlineAtEnd): those are read.
    return this.oldLeft === 0 && this.lastMinus === null && this.oldEof === null && this.file ? this.newLeft : 0;
  }

  /** Counts the next `n` lines (at most {@link addedRun}) as added without reading them. */
  skipAdded(n: number): void {
    if (n <= 0) return;
    pushLines(this.file!.added, this.newLine, this.newLine + n - 1);
    this.newLine += n;
    this.newLeft -= n;
    this.lastKind = 43;
  }

  private hunkLine(text: string): void {
    const kind = text.charCodeAt(0);
    if (kind === 43 /* + */) {
      if (this.oldEof !== null && sameLine(text, this.oldEof)) {
        // The old last line given a newline (a line appended after it): not added.
        this.oldEof = null;
        this.newLine++;
      } else pushLine(this.file!.added, this.newLine++);
      this.newLeft--;
      this.lastPlus = text;
    } else if (kind === 45 /* - */) {
      this.oldLeft--;
      this.lastMinus = text;
    } else if (kind === 32 /* space */ || text === "") {
      this.newLine++;
      this.newLeft--;
      this.oldLeft--;
    } else if (kind === 92 /* \ */) {
      this.noNewlineAtEnd();
      return;
    }
    this.lastKind = kind;
  }

  /**
   * "\ No newline at end of file" after the line it speaks of. git shows a last line that only
   * gains or loses its newline as removed and added again; that line adds nothing, so a secret
   * already on it is not reported again (after a "-": the old side's; after a "+": the new side's).
   */
  private noNewlineAtEnd(): void {
    if (this.lastKind === 45 && this.lastMinus !== null) this.oldEof = this.lastMinus;
    else if (
      this.lastKind === 43 &&
      this.lastPlus !== null &&
      this.lastMinus !== null &&
      sameLine(this.lastPlus, this.lastMinus)
    ) {
      popLine(this.file!.added, this.newLine - 1);
    }
    this.lastKind = 0;
  }

  /** Flushes the file in progress (call at the end of each commit's patch and of the stream). */
  end(): void {
    if (this.file) this.onFile(this.file);
    this.file = null;
    this.lastMinus = this.lastPlus = this.oldEof = null;
    this.lastKind = 0;
    this.oldLeft = 0;
    this.newLeft = 0;
  }
}

/**
 * A "+" line and a "-" line with the same text after their marks, but for a CR that ends one of
 * them (a CRLF file's last line that gains or loses its whole line ending).
 */
function sameLine(plus: string, minus: string): boolean {
  const p = plus.endsWith("\r") ? plus.length - 1 : plus.length;
  const m = minus.endsWith("\r") ? minus.length - 1 : minus.length;
  return p === m && plus.slice(1, p) === minus.slice(1, m);
}

/** Every file change in a whole diff text (tests and small diffs). */
export function parseDiff(text: string): FileChange[] {
  const out: FileChange[] = [];
  const p = new DiffParser((f) => out.push(f));
  for (const line of text.split("\n")) p.line(line);
  p.end();
  return out;
}
