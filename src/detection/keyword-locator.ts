/**
 * Where each keyword occurs in a text: one RE2 pass over an alternation of the keywords (longest
 * first; detection/windows.ts passes those the prefilter saw in the text), each hit also credited to
 * the keywords it contains ("api_key" holds "key"), since one pass reports one keyword per place.
 */
import { escapeLiteral, newRegex, type Regex } from "./regex.js";

export interface KeywordLocator {
  regex: Regex;
  /** lower-case hit text → [keyword index, offset inside the hit] for it and every keyword it contains. */
  credits: (hit: string) => [number, number][];
  /**
   * The keyword the regex matched when its match ended at `end`, having searched from `from`
   * (-1: none); null when a keyword is not ASCII. Only the end is needed: the match starts
   * leftmost, so it is the longest keyword that ends there and starts at or after `from` (a longer
   * one would have started earlier). RE2's test() gives the end without building a match
   * object, which in a big text full of keywords costs more than the search itself.
   */
  keywordEndingAt: ((data: Buffer, end: number, from: number) => number) | null;
}

/** ASCII lower-casing of a byte; other bytes unchanged. */
const LOWER = new Uint8Array(256).map((_, b) => (b >= 65 && b <= 90 ? b + 32 : b));

/**
 * The keywords' bytes read backwards, as a trie: node → byte → node, keyed `node * 256 + byte`;
 * `ends[node]` is the index of the keyword that ends at that node, or -1.
 */
function reversedTrie(keywords: readonly string[]): (data: Buffer, end: number, from: number) => number {
  const next = new Map<number, number>();
  const ends: number[] = [-1];
  keywords.forEach((k, index) => {
    let node = 0;
    for (let i = k.length - 1; i >= 0; i--) {
      const key = node * 256 + k.charCodeAt(i);
      let child = next.get(key);
      if (child === undefined) {
        child = ends.push(-1) - 1;
        next.set(key, child);
      }
      node = child;
    }
    if (ends[node] === -1) ends[node] = index;
  });
  return (data, end, from) => {
    let found = -1;
    let node = 0;
    for (let i = end - 1; i >= from; i--) {
      const child = next.get(node * 256 + LOWER[data[i]!]!);
      if (child === undefined) break;
      node = child;
      if (ends[node] !== -1) found = ends[node]!;
    }
    return found;
  };
}

/** @param keywords lower-case literals, in prefilter order (their indexes are what `credits` reports) */
export function keywordLocator(keywords: readonly string[]): KeywordLocator {
  const longestFirst = [...keywords].sort((a, b) => b.length - a.length);
  const regex = newRegex(`(?:${longestFirst.map(escapeLiteral).join("|")})`, "gi");
  // Worked out per distinct hit text, on first sight: a text shows only a few distinct keywords.
  const cache = new Map<string, [number, number][]>();
  const credits = (hit: string) => {
    let list = cache.get(hit);
    if (!list) {
      list = [];
      for (let j = 0; j < keywords.length; j++) {
        const other = keywords[j]!;
        for (let at = hit.indexOf(other); at !== -1; at = hit.indexOf(other, at + 1)) list.push([j, at]);
      }
      cache.set(hit, list);
    }
    return list;
  };
  const ascii = keywords.every((k) => /^[\x00-\x40\x5b-\x7f]+$/.test(k));
  const keywordEndingAt = ascii ? reversedTrie(keywords) : null;
  return { regex, credits, keywordEndingAt };
}
