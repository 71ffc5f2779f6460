/**
 * Which rule keywords occur in a text: the prefilter that decides which rules run. Big or
 * non-ASCII texts go through one RE2.Set pass. Compiling that set (~900 keywords) costs ~10 ms,
 * more than a pre-commit's few small files take to search: so until SMALL_TEXT_BUDGET bytes have
 * been prefiltered, ASCII texts are searched with plain string search instead. On ASCII text the
 * two agree exactly (keywords are lower case; RE2's case folding differs from ASCII lower-casing
 * only for non-ASCII characters such as the Kelvin sign), which a property test checks.
 */
import { isAscii } from "node:buffer";

/** The part of an RE2.Set the prefilter uses: indexes of the patterns that match somewhere. */
export interface KeywordMatcher {
  match(text: Buffer | string): number[];
}

/** Bytes of text searched without the RE2.Set before it is compiled (a handful of small files). */
export const SMALL_TEXT_BUDGET = 32 * 1024;

function isAsciiText(text: Buffer | string): boolean {
  return typeof text === "string" ? /^[\x00-\x7f]*$/.test(text) : isAscii(text);
}

export class KeywordPrefilter {
  private set: KeywordMatcher | null = null;
  private budget = SMALL_TEXT_BUDGET;

  /**
   * @param keywords lower-case literals
   * @param buildSet compiles the case-insensitive RE2.Set of the keywords (called at most once)
   */
  constructor(
    private readonly keywords: readonly string[],
    private readonly buildSet: () => KeywordMatcher,
  ) {}

  /** Indexes (into `keywords`) of the keywords that occur in `text`, ignoring case. */
  match(text: Buffer | string): number[] {
    if (this.keywords.length === 0) return [];
    if (this.set === null && text.length <= this.budget && isAsciiText(text)) {
      this.budget -= text.length;
      const lower = (typeof text === "string" ? text : text.toString("latin1")).toLowerCase();
      const hits: number[] = [];
      for (let k = 0; k < this.keywords.length; k++) if (lower.includes(this.keywords[k]!)) hits.push(k);
      return hits;
    }
    this.set ??= this.buildSet();
    return this.set.match(text);
  }

  /** Whether the RE2.Set has been compiled (for tests). */
  get compiled(): boolean {
    return this.set !== null;
  }
}
