/**
 * Classic Mac (CR-only) texts in `--range`, `--staged` and the hook: git counts lines at `\n` only,
 * so a CR-only file is one git line, and any change to it "adds" the whole file, secrets that were
 * there long before included. The engine lines that come from a git line holding a lone `\r` are
 * judged again here by their content: such a line is added when the file before the change does
 * not hold it (counted with repeats), and, for a merge, when no parent's file does. Lines of git
 * lines without a lone `\r` keep git's verdict.
 */
import { type LineRange, pushLine } from "../sources/git/line-ranges.js";

interface EngineLines {
  /** Each engine line's bytes (latin1: one character per byte, compared exactly). */
  texts: string[];
  /** Whether the git line it belongs to holds a lone `\r`. */
  fromCrLine: boolean[];
}

/** Splits a text at the engine's line breaks (`\r\n`, a lone `\r`, `\n`). */
function engineLines(data: Buffer): EngineLines {
  const texts: string[] = [];
  const fromCrLine: boolean[] = [];
  let start = 0;
  let gitFirst = 0;
  let loneCr = false;
  const endGitLine = () => {
    for (let k = gitFirst; k < texts.length; k++) fromCrLine[k] = loneCr;
    gitFirst = texts.length;
    loneCr = false;
  };
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b !== 10 && b !== 13) continue;
    texts.push(data.toString("latin1", start, i));
    // git's lines end at every `\n`; a `\r` right before one is part of that break
    let endsGitLine = b === 10;
    if (b === 13 && data[i + 1] === 10) {
      i++;
      endsGitLine = true;
    } else if (b === 13) loneCr = true;
    start = i + 1;
    if (endsGitLine) endGitLine();
  }
  texts.push(data.toString("latin1", start));
  endGitLine();
  return { texts, fromCrLine };
}

/** For each line of `next`, whether `before` lacks it: `before`'s lines are used up in order, once each. */
function newLines(next: readonly string[], before: Buffer): boolean[] {
  const counts = new Map<string, number>();
  for (const t of engineLines(before).texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  return next.map((t) => {
    const n = counts.get(t) ?? 0;
    if (n === 0) return true;
    counts.set(t, n - 1);
    return false;
  });
}

/**
 * `added` (engine lines of `data`) without the lines of lone-`\r` git lines that `olds` (the file
 * before the change: one blob, or one per merge parent) already held.
 */
export function crAddedLines(data: Buffer, added: readonly LineRange[], olds: readonly Buffer[]): LineRange[] {
  if (olds.length === 0) return [...added];
  const { texts, fromCrLine } = engineLines(data);
  const fresh = olds.map((old) => newLines(texts, old));
  const out: LineRange[] = [];
  for (const r of added) {
    for (let n = r.start; n <= Math.min(r.end, texts.length); n++) {
      if (!fromCrLine[n - 1] || fresh.every((f) => f[n - 1])) pushLine(out, n);
    }
  }
  return out;
}
