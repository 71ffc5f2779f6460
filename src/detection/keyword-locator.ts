/**
 * Where each keyword occurs in a text: one RE2 pass over an alternation of every keyword (longest
 * first), each hit also credited to the keywords it contains ("api_key" holds "key"), since one
 * pass reports one keyword per place.
 */
import { escapeLiteral, newRegex, type Regex } from "./regex.js";

export interface KeywordLocator {
  regex: Regex;
  /** lower-case hit text → [keyword index, offset inside the hit] for it and every keyword it contains. */
  credits: (hit: string) => [number, number][];
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
  return { regex, credits };
}
