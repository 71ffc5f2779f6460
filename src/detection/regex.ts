/**
 * The engine's RE2 wrappers: compiling a regex or a set, testing one, exec over a Buffer with
 * byte offsets. Besides rules/ (load-time checks) this is the only module that loads `re2`.
 */
import { createRequire } from "node:module";
import type RE2Class from "re2";

// Required, not imported: node would otherwise lex the CommonJS source for named exports at start-up.
const RE2 = createRequire(import.meta.url)("re2") as typeof RE2Class;

export type Regex = InstanceType<typeof RE2>;

/** Compiles `source` in RE2 (throws RE2's error when it does not compile). */
export function newRegex(source: string, flags: string): Regex {
  return new RE2(source, flags);
}

/** Which of `sources` match somewhere in a text: one RE2.Set pass. */
export function newRegexSet(sources: string[], flags: string): { match(text: Buffer | string): number[] } {
  return new RE2.Set(sources, flags);
}

/** RE2 test used by allowlists and path filters. */
export function regexTest(re: Regex, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}

/** A match over a Buffer: byte offsets of the whole match and of each group. */
export interface BufferMatch {
  index: number;
  length: number;
  indices: ([number, number] | undefined)[];
}

/** exec() on a Buffer (re2 accepts Buffers and reports byte offsets; its typings only know strings). */
export function execBuffer(re: Regex, data: Buffer): BufferMatch | null {
  const m = (re.exec as unknown as (d: Buffer) => (Buffer[] & { index: number; indices: [number, number][] }) | null)(
    data,
  );
  if (m === null) return null;
  return { index: m.index, length: m[0]!.length, indices: m.indices };
}

/** test() on a Buffer: with a global regex, lastIndex is left at the byte after the match. */
export function testBuffer(re: Regex, data: Buffer): boolean {
  return (re.test as unknown as (d: Buffer) => boolean)(data);
}

/** A literal as a regex source. */
export function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
