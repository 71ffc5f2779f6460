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
  return fragmentOf(origin, data, 1, 0, data.length);
}

/**
 * A fragment of `origin`'s text, always built with the same fields in the same order (absent ones
 * undefined): fragments spread from origins of several shapes (a blob's, a message's with its
 * commit, a window's) made V8's object copies and every field read of the engine polymorphic;
 * a history scan builds a few of them for each of its ~300,000 texts.
 */
export function fragmentOf(
  origin: FragmentOrigin,
  data: Buffer,
  firstLine: number,
  firstColumn: number,
  acceptBefore: number,
): Fragment {
  return {
    path: origin.path,
    source: origin.source,
    commit: origin.commit,
    author: origin.author,
    email: origin.email,
    date: origin.date,
    repository: origin.repository,
    data,
    firstLine,
    firstColumn,
    acceptBefore,
  };
}
