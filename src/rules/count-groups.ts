/** Counts capturing groups of an RE2 pattern ((...), (?P<n>...), (?<n>...)). */
export function countGroups(pattern: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") i++;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") {
      inClass = true;
      if (pattern[i + 1] === "]") i++;
    } else if (ch === "(") {
      if (pattern[i + 1] !== "?" || pattern.startsWith("(?P<", i) || /^\(\?<[A-Za-z]/.test(pattern.slice(i, i + 4)))
        n++;
    }
  }
  return n;
}
