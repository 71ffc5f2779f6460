/** A piece of text to scan and where it came from: what every source produces. */
import type { Finding } from "../findings/finding.js";

/** Where a text came from: the location fields a finding carries (path "" for a commit message). */
export type FragmentOrigin = Pick<Finding, "path" | "source"> &
  Partial<Pick<Finding, "commit" | "author" | "email" | "date" | "repository">>;

export interface Fragment extends FragmentOrigin {
  data: Buffer;
  /** Line number of data[0] (1-based); > 1 for later chunks of a large file. */
  firstLine: number;
  /** UTF-16 units on data[0]'s line before it (a chunk that starts mid-line). */
  firstColumn: number;
  /** Matches starting at or after this byte belong to the next chunk (overlap). */
  acceptBefore: number;
}

/** A whole small text as one fragment. */
export function wholeFragment(data: Buffer, origin: FragmentOrigin): Fragment {
  return { ...origin, data, firstLine: 1, firstColumn: 0, acceptBefore: data.length };
}
