/**
 * Where a key sits in a TOML text, so a problem found in the parsed data names its line and column.
 * One pass over the text that tracks strings, brackets and comments, and indexes table headers
 * ([a.b], [[a]] counted per array) and `key =` lines at the top level of a table. Not a parser: the
 * text parsed already. Keys inside inline tables ({ a = 1 }) are not indexed; a problem there is
 * placed at the nearest key or table that is.
 */

/**
 * A key's place in the parsed data: table keys and array-of-tables indexes, e.g. ["rules", 0, "regex"];
 * `{ id }` stands for the index of the table of that array whose `id = "…"` is written so.
 */
export type KeyPath = readonly (string | number | { id: string })[];

export interface TomlPosition {
  /** 1-based. */
  line: number;
  /** 1-based, UTF-16 units. */
  column: number;
}

/** The position of `path`, else of its nearest indexed ancestor; undefined when none is indexed. */
export type TomlLocator = (path: KeyPath) => TomlPosition | undefined;

const KEY = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const KEYS = String.raw`${KEY}(?:[ \t]*\.[ \t]*${KEY})*`;
const HEADER = new RegExp(String.raw`^[ \t]*(\[\[?)[ \t]*(${KEYS})[ \t]*\]\]?`);
const KEY_LINE = new RegExp(String.raw`^([ \t]*)(${KEYS})[ \t]*=`);
const KEY_PART = new RegExp(KEY, "g");

/** The keys of a dotted key, unquoted. */
function keysOf(dotted: string): string[] {
  return (dotted.match(KEY_PART) ?? []).map((k) =>
    k.startsWith('"') ? (JSON.parse(k) as string) : k.startsWith("'") ? k.slice(1, -1) : k,
  );
}

/**
 * The index of the character after a value's end at top level from `i` on: strings, arrays and
 * inline tables may span lines; a comment ends at its line's end. Returns where the value ends (a
 * newline at depth 0 outside any string, or the end of the text).
 */
function skipValue(text: string, i: number): number {
  let depth = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n" && depth === 0) return i;
    if (c === "#") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      for (; j < text.length; j++) {
        if (c === '"' && text[j] === "\\") j++;
        else if (text.startsWith(close, j)) break;
        else if (!triple && text[j] === "\n") break;
      }
      // A triple-quoted string may end with one or two more quotes than its delimiter ("""a"""").
      i = j + close.length;
      while (triple && text[i] === c) i++;
      continue;
    }
    if (c === "[" || c === "{") depth++;
    else if ((c === "]" || c === "}") && depth > 0) depth--;
    i++;
  }
  return i;
}

/** Indexes `text` (a TOML document that parsed) for {@link TomlLocator} lookups. */
export function tomlLocator(text: string): TomlLocator {
  const places = new Map<string, TomlPosition>();
  const arrays = new Map<string, number>();
  // JSON of [...array path, id] → the index of the table with that id.
  const ids = new Map<string, number>();
  const keep = (path: KeyPath, pos: TomlPosition) => {
    const key = JSON.stringify(path);
    if (!places.has(key)) places.set(key, pos);
  };
  let table: (string | number)[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const end = text.indexOf("\n", i);
    const lineText = text.slice(i, end < 0 ? text.length : end);
    const header = HEADER.exec(lineText);
    const keyLine = header ? null : KEY_LINE.exec(lineText);
    if (header) {
      const column = lineText.indexOf("[") + 1;
      table = [];
      const keys = keysOf(header[2]!);
      keys.forEach((k, n) => {
        table.push(k);
        const seen = arrays.get(JSON.stringify(table));
        const last = n === keys.length - 1;
        if (last && header[1] === "[[") {
          arrays.set(JSON.stringify(table), (seen ?? 0) + 1);
          table.push(seen ?? 0);
        } else if (seen !== undefined) table.push(seen - 1);
      });
      keep(table, { line, column });
      i = end < 0 ? text.length : end + 1;
      line++;
      continue;
    }
    let next = end < 0 ? text.length : end;
    if (keyLine) {
      const keys = keysOf(keyLine[2]!);
      keep([...table, ...keys], { line, column: keyLine[1]!.length + 1 });
      const valueAt = i + keyLine[0].length;
      next = skipValue(text, valueAt);
      const index = table.at(-1);
      const id = /^[ \t]*(?:"([^"\\]*)"|'([^']*)')/.exec(text.slice(valueAt, next));
      if (keys.length === 1 && keys[0] === "id" && typeof index === "number" && id)
        ids.set(JSON.stringify([...table.slice(0, -1), id[1] ?? id[2]]), index);
    }
    for (let j = i; j < next; j++) if (text.charCodeAt(j) === 10) line++;
    i = next + 1;
    line++;
  }
  // { id } segments become indexes; a path whose id is not written so is cut there.
  const resolve = (path: KeyPath): (string | number)[] => {
    const out: (string | number)[] = [];
    for (const seg of path) {
      if (typeof seg !== "object") out.push(seg);
      else {
        const index = ids.get(JSON.stringify([...out, seg.id]));
        if (index === undefined) break;
        out.push(index);
      }
    }
    return out;
  };
  return (path) => {
    const resolved = resolve(path);
    for (let n = resolved.length; n > 0; n--) {
      const pos = places.get(JSON.stringify(resolved.slice(0, n)));
      if (pos) return pos;
    }
    return undefined;
  };
}
