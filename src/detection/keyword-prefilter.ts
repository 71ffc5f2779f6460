/**
 * Which rule keywords occur in a text: the prefilter that decides which rules run. The keywords
 * are lower-case literals, searched for ignoring case. Two ways, both finding what a
 * case-insensitive RE2.Set finds on UTF-8 bytes as long as the keywords are ASCII (RE2 folds only
 * two non-ASCII characters onto ASCII letters: the Kelvin sign K onto k, the long s ſ onto s; a
 * text holding either goes to that case-insensitive set, and so does everything when a keyword is
 * not ASCII):
 * - a case-sensitive RE2.Set over the text with its ASCII letters lower-cased (native, ~1 ms for
 *   60 KiB). It compiles in about two thirds of the time of the case-insensitive set of the same
 *   ~1,100 keywords (which spends it on case folding), which a commit pays once. The lower-cased
 *   copy, though, costs more than the set's pass: past LOWER_CASE_BUDGET bytes (a tree or a
 *   history, not a commit) the case-insensitive set takes over and reads the bytes as they are;
 * - for the first SMALL_TEXT_BUDGET bytes (a commit's files), no set at all: one pass over the
 *   bytes in WebAssembly (keyword-scan-wasm.ts), ~150 instructions a byte against the set's ~30 M
 *   to compile, so past a few hundred KiB the set is cheaper. A tree scan (readInBulk) keeps it to
 *   its first BULK_SMALL_TEXT_BUDGET bytes: its threads compile the set anyway.
 * A property test checks all three agree, on ASCII, non-ASCII and invalid UTF-8 alike.
 */
import { WasmKeywordIndex } from "./keyword-scan-wasm.js";

/** The part of an RE2.Set the prefilter uses: indexes of the patterns that match somewhere. */
export interface KeywordMatcher {
  match(text: Buffer | string): number[];
}

/** Bytes of text searched without the RE2.Set before it is compiled (a commit's files). */
export const SMALL_TEXT_BUDGET = 256 * 1024;

/** The same for an engine that reads in bulk (a tree scan's thread, which compiles the set anyway). */
export const BULK_SMALL_TEXT_BUDGET = 2 * 1024;

/** Bytes of text lower-cased for the case-sensitive set before the case-insensitive one takes over. */
export const LOWER_CASE_BUDGET = 4 * 1024 * 1024;

/** The WebAssembly search over `keywords`, or null when they do not fit it or WebAssembly is not there. */
function newIndex(keywords: readonly string[]): WasmKeywordIndex | null {
  if (!WasmKeywordIndex.fits(keywords)) return null;
  try {
    return new WasmKeywordIndex(keywords);
  } catch {
    return null;
  }
}

/** The Kelvin sign (E2 84 AA) or the long s (C5 BF): RE2 matches them as k and s. */
export function hasAsciiFolds(data: Buffer): boolean {
  return data.includes("\u212a") || data.includes("\u017f");
}

/**
 * The bytes with A–Z lower-cased. Latin-1 maps bytes to characters one to one, and lower-casing a
 * Latin-1 character never yields an ASCII one nor leaves Latin-1, so other bytes stay non-ASCII.
 */
function asciiLowerCase(data: Buffer): Buffer {
  return Buffer.from(data.toString("latin1").toLowerCase(), "latin1");
}

/** Which RE2.Set to build: over lower-cased text (ASCII keywords), or case-insensitive. */
export type KeywordSetKind = "lower" | "fold";

export class KeywordPrefilter {
  private lowerSet: KeywordMatcher | null = null;
  private foldSet: KeywordMatcher | null = null;
  private index: WasmKeywordIndex | null | undefined;
  private budget = SMALL_TEXT_BUDGET;
  private lowerBudget = LOWER_CASE_BUDGET;
  /** Every keyword is ASCII without upper case: the "lower" set can be used. */
  private readonly ascii: boolean;

  /**
   * @param keywords lower-case literals
   * @param buildSet compiles an RE2.Set of the keywords (each kind at most once): "lower" is
   *   case-sensitive (it is given lower-cased text), "fold" case-insensitive
   */
  constructor(
    private readonly keywords: readonly string[],
    private readonly buildSet: (kind: KeywordSetKind) => KeywordMatcher,
  ) {
    this.ascii = keywords.every((k) => /^[\x00-\x40\x5b-\x7f]+$/.test(k));
  }

  /** Indexes (into `keywords`) of the keywords that occur in `text`, ignoring case. */
  match(text: Buffer | string): number[] {
    if (this.keywords.length === 0) return [];
    if (this.ascii) {
      const data = typeof text === "string" ? Buffer.from(text, "utf8") : text;
      if (!hasAsciiFolds(data)) {
        if (this.lowerSet === null && data.length <= this.budget) {
          this.index ??= newIndex(this.keywords);
          if (this.index) {
            this.budget -= data.length;
            return this.index.match(data);
          }
        }
        if (this.lowerBudget > 0) {
          this.lowerBudget -= data.length;
          this.lowerSet ??= this.buildSet("lower");
          return this.lowerSet.match(asciiLowerCase(data));
        }
      }
    }
    this.foldSet ??= this.buildSet("fold");
    return this.foldSet.match(text);
  }

  /**
   * The caller is about to feed a tree's worth of text (megabytes, not a commit's kilobytes): the
   * case-insensitive set reads it from the start, as it does past LOWER_CASE_BUDGET anyway. The
   * lower-cased copy costs more per byte than the set's pass itself (axios' package-lock.json,
   * 1.7 MB: ~22 ms a warm pass with the copy, ~4.5 ms without), which outweighs the case-insensitive
   * set's extra compile (~3 ms) past a few hundred KiB; and a scan past the budget compiled both sets.
   */
  readInBulk(): void {
    this.lowerBudget = 0;
    this.budget = Math.min(this.budget, BULK_SMALL_TEXT_BUDGET);
  }

  /** Whether an RE2.Set has been compiled (for tests). */
  get compiled(): boolean {
    return this.lowerSet !== null || this.foldSet !== null;
  }
}
