/**
 * A cheap "can any pattern match this path at all?" test in front of the `ignore` package, which
 * tries every pattern's regex on every path (git/git's 263-line .gitignore made that a quarter of a
 * one-thread scan's CPU). Each pattern says something any path it matches must hold (case-insensitively,
 * as `ignore()` matches by default): a folder or file name equal to a plain name (`/git-add`,
 * `Debug/`), a name ending in a suffix (`*.exe`, `*.[aos]`), else a run of plain characters the path
 * contains (`/cscope*`). A path that holds none of them matches no pattern, nor do its parent
 * folders (their names are its names), so its answer is "neither ignored nor re-included" without
 * asking `ignore`. Any doubt (a pattern with none of these, non-ASCII or control characters) sends
 * every path to `ignore`, which alone decides what matches.
 */

/** Characters that glob matching reads as themselves wherever they stand. */
const PLAIN = /[A-Za-z0-9._~+@,=%-]+/g;
/** A name with no glob, escape or space: matches a path holding a file or folder of exactly that name. */
const PLAIN_NAME = /^!?\/?(?:[A-Za-z0-9._~+@,=%-]+\/)*([A-Za-z0-9._~+@,=%-]+)\/?$/;
/** `*SUFFIX` or `*.[abc]` (plain letters in brackets): matches a path holding a name ending so. */
const SUFFIX = /^!?\/?\*([A-Za-z0-9._~+@,=%-]*)(?:\[([A-Za-z0-9]+)\])?\/?$/;

/** What a path must hold for a pattern to match it; null when nothing is certain. */
export type Requirement = { name: string } | { suffixes: string[] } | { contains: string };

export function requirementOf(pattern: string): Requirement | null {
  // Non-ASCII or a control character (a tab): no certainty.
  if (/[^\x20-\x7e]/.test(pattern)) return null;
  if (!pattern.endsWith(" ")) {
    const name = PLAIN_NAME.exec(pattern);
    if (name) return { name: name[1]!.toLowerCase() };
    const suffix = SUFFIX.exec(pattern);
    if (suffix) {
      const [, tail, chars] = suffix;
      const list = chars ? [...chars].map((c) => tail + c) : [tail!];
      if (list.every((s) => s.length > 0)) return { suffixes: list.map((s) => s.toLowerCase()) };
    }
  }
  // Only the part before any `[` or `\` is read: a bracket or an escape may change what follows.
  const cut = pattern.search(/[[\\]/);
  const head = cut < 0 ? pattern : pattern.slice(0, cut);
  let best = "";
  for (const m of head.matchAll(PLAIN)) if (m[0].length > best.length) best = m[0];
  return best.length > 0 ? { contains: best.toLowerCase() } : null;
}

/** The lines of a .gitignore text (or a list of patterns) that are patterns, split as `ignore` splits them. */
function patternLines(source: string | readonly string[]): string[] {
  const lines = (typeof source === "string" ? [source] : source).flatMap((s) => s.split("\n"));
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)).filter((l) => l.trim() !== "" && !l.startsWith("#"));
}

export class IgnoreLiterals {
  private readonly names = new Set<string>();
  /** Last character of a suffix → the suffixes ending with it. */
  private readonly suffixes = new Map<string, string[]>();
  private readonly contains: string[] = [];
  /** A pattern had no certain requirement: every path must be tested. */
  private anyPath = false;

  add(source: string | readonly string[]): this {
    for (const line of patternLines(source)) {
      const req = requirementOf(line);
      if (req === null) this.anyPath = true;
      else if ("name" in req) this.names.add(req.name);
      else if ("contains" in req) this.contains.push(req.contains);
      else
        for (const s of req.suffixes) {
          const last = s[s.length - 1]!;
          const list = this.suffixes.get(last);
          if (list) list.push(s);
          else this.suffixes.set(last, [s]);
        }
    }
    return this;
  }

  /** False only when no pattern added can match `path` or any of its parent folders. */
  mayMatch(path: string): boolean {
    if (this.anyPath) return true;
    const s = path.toLowerCase();
    for (const lit of this.contains) if (s.includes(lit)) return true;
    let start = 0;
    while (start < s.length) {
      let end = s.indexOf("/", start);
      if (end < 0) end = s.length;
      if (end > start) {
        const name = s.slice(start, end);
        if (this.names.has(name)) return true;
        const list = this.suffixes.get(name[name.length - 1]!);
        if (list) for (const suffix of list) if (name.endsWith(suffix)) return true;
      }
      start = end + 1;
    }
    return false;
  }
}
