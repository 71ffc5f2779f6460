/**
 * Where a key sits in a TOML text, so a problem found in the parsed data names its line and column
 * (smol-toml gives positions only for syntax errors). One pass over the text, reading it as TOML
 * does: table headers ([a.b], [[a]] counted per array), dotted and quoted keys, and values,
 * including inline tables ({ a = 1 }) and arrays over several lines, whose keys and elements are
 * placed too. Strings (all four kinds) and comments are skipped whole, so `key = x`, `#` or `{`
 * inside them is text. Not a validating parser: it reads a text that parsed already, and on
 * anything it does not expect it moves on rather than fail.
 */

/**
 * A key's place in the parsed data: table keys and array indexes, e.g. ["rules", 0, "regex"];
 * `{ id }` stands for the index of the table of that array whose `id = "…"` is written so.
 */
export type KeyPath = readonly (string | number | { id: string })[];

export interface TomlPosition {
  /** 1-based. */
  line: number;
  /** 1-based, UTF-16 units. */
  column: number;
}

/** The position of `path`, else of its nearest placed ancestor; undefined when none is placed. */
export type TomlLocator = (path: KeyPath) => TomlPosition | undefined;

type Path = (string | number)[];

const BARE_KEY = /[A-Za-z0-9_-]/;
const ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  e: "\x1b",
  '"': '"',
  "\\": "\\",
};

/** Reads a TOML text; `places` gets the offset of every key, table header and array element. */
class Reader {
  i = 0;
  /** JSON of a path → the offset where it is first written. */
  readonly places = new Map<string, number>();
  /** JSON of [...array path, id] → the index of the table of that array with that id. */
  readonly ids = new Map<string, number>();
  /** JSON of an array-of-tables path → how many of its tables were opened so far. */
  private readonly tableArrays = new Map<string, number>();

  constructor(private readonly text: string) {}

  read(): void {
    let table: Path = [];
    const t = this.text;
    while (this.i < t.length) {
      this.skipBlank(true);
      if (this.i >= t.length) break;
      const start = this.i;
      if (t[this.i] === "[") table = this.header(start);
      else if (this.keyStart()) this.keyValue(table);
      // Anything else (a stray character): go on at the next line.
      if (this.i === start) this.toLineEnd();
    }
  }

  private keep(path: Path, at: number): void {
    const key = JSON.stringify(path);
    if (!this.places.has(key)) this.places.set(key, at);
  }

  /** `[a.b]` or `[[a.b]]`: the table's path (array indexes included). */
  private header(start: number): Path {
    const t = this.text;
    const double = t.startsWith("[[", this.i);
    this.i += double ? 2 : 1;
    this.skipSpaces();
    const keys = this.dottedKey();
    this.skipSpaces();
    this.i += double && t.startsWith("]]", this.i) ? 2 : t[this.i] === "]" ? 1 : 0;
    const table: Path = [];
    keys.forEach((k, n) => {
      table.push(k);
      const arrayKey = JSON.stringify(table);
      const seen = this.tableArrays.get(arrayKey);
      if (double && n === keys.length - 1) {
        this.tableArrays.set(arrayKey, (seen ?? 0) + 1);
        this.keep([...table], start);
        table.push(seen ?? 0);
      } else if (seen !== undefined) table.push(seen - 1);
    });
    this.keep(table, start);
    this.toLineEnd();
    return table;
  }

  /** `key = value` (the key dotted or quoted) under `table`. */
  private keyValue(table: Path): void {
    const at = this.i;
    const keys = this.dottedKey();
    const path = [...table, ...keys];
    for (let n = table.length + 1; n <= path.length; n++) this.keep(path.slice(0, n), at);
    this.skipSpaces();
    if (this.text[this.i] !== "=") return;
    this.i++;
    this.skipSpaces();
    const valueAt = this.i;
    this.value(path);
    this.noteId(path, valueAt);
  }

  /** An `id = "…"` in a table of an array (`[[rules]]` or `rules = [{ … }]`) names that index. */
  private noteId(path: Path, valueAt: number): void {
    const index = path.at(-2);
    if (path.at(-1) !== "id" || typeof index !== "number") return;
    const q = this.text[valueAt];
    if (q !== '"' && q !== "'") return;
    const id = this.stringAt(valueAt);
    if (id !== null) this.ids.set(JSON.stringify([...path.slice(0, -2), id]), index);
  }

  /** A value at `path`: strings, arrays and inline tables are read through; anything else to its end. */
  private value(path: Path): void {
    const t = this.text;
    const c = t[this.i];
    if (c === '"' || c === "'") this.skipString();
    else if (c === "[") this.array(path);
    else if (c === "{") this.inlineTable(path);
    else {
      while (this.i < t.length && !/[,\]}\r\n#]/.test(t[this.i]!)) this.i++;
    }
  }

  private array(path: Path): void {
    const t = this.text;
    this.i++;
    for (let n = 0; ; n++) {
      this.skipBlank(true);
      if (this.i >= t.length) return;
      if (t[this.i] === "]") {
        this.i++;
        return;
      }
      const before = this.i;
      this.keep([...path, n], before);
      this.value([...path, n]);
      this.skipBlank(true);
      if (t[this.i] === ",") this.i++;
      else if (this.i === before) this.i++; // unexpected: never stand still
    }
  }

  private inlineTable(path: Path): void {
    const t = this.text;
    this.i++;
    while (this.i < t.length) {
      this.skipBlank(true);
      if (t[this.i] === "}") {
        this.i++;
        return;
      }
      const before = this.i;
      if (this.keyStart()) this.keyValue(path);
      this.skipBlank(true);
      if (t[this.i] === ",") this.i++;
      else if (this.i === before) this.i++;
    }
  }

  private keyStart(): boolean {
    const c = this.text[this.i];
    return c !== undefined && (c === '"' || c === "'" || BARE_KEY.test(c));
  }

  /** `a."b c".'d'`: the keys, unquoted. */
  private dottedKey(): string[] {
    const t = this.text;
    const keys: string[] = [];
    for (;;) {
      const c = t[this.i];
      if (c === '"' || c === "'") {
        keys.push(this.stringAt(this.i) ?? "");
        this.skipString();
      } else {
        const start = this.i;
        while (this.i < t.length && BARE_KEY.test(t[this.i]!)) this.i++;
        if (this.i === start) return keys;
        keys.push(t.slice(start, this.i));
      }
      this.skipSpaces();
      if (t[this.i] !== ".") return keys;
      this.i++;
      this.skipSpaces();
    }
  }

  /** The value of the one-line string starting at `at` (basic or literal), or null. */
  private stringAt(at: number): string | null {
    const t = this.text;
    const q = t[at];
    if (t.startsWith(q!.repeat(3), at)) return null;
    let out = "";
    for (let j = at + 1; j < t.length && t[j] !== "\n"; j++) {
      const c = t[j]!;
      if (c === q) return out;
      if (q === '"' && c === "\\") {
        const e = t[j + 1] ?? "";
        if (e === "u" || e === "U") {
          const len = e === "u" ? 4 : 8;
          out += String.fromCodePoint(Number.parseInt(t.slice(j + 2, j + 2 + len), 16) || 0xfffd);
          j += 1 + len;
        } else {
          out += ESCAPES[e] ?? e;
          j++;
        }
      } else out += c;
    }
    return null;
  }

  /** Past a string of any of the four kinds at `i`. */
  private skipString(): void {
    const t = this.text;
    const q = t[this.i]!;
    const triple = t.startsWith(q.repeat(3), this.i);
    const close = triple ? q.repeat(3) : q;
    let j = this.i + close.length;
    for (; j < t.length; j++) {
      if (q === '"' && t[j] === "\\") j++;
      else if (t.startsWith(close, j)) break;
      else if (!triple && t[j] === "\n") break;
    }
    // A multi-line string may end with one or two more quotes than its delimiter ("""a"""").
    this.i = Math.min(t.length, j + close.length);
    while (triple && t[this.i] === q && this.i - j < close.length + 2) this.i++;
  }

  private skipSpaces(): void {
    while (this.text[this.i] === " " || this.text[this.i] === "\t") this.i++;
  }

  /** Spaces, comments and (with `lines`) line breaks. */
  private skipBlank(lines: boolean): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t[this.i];
      if (c === " " || c === "\t" || (lines && (c === "\n" || c === "\r"))) this.i++;
      else if (c === "#") this.toLineEnd();
      else return;
    }
  }

  private toLineEnd(): void {
    const nl = this.text.indexOf("\n", this.i);
    this.i = nl < 0 ? this.text.length : nl;
  }
}

/** Indexes `text` (a TOML document that parsed) for {@link TomlLocator} lookups. */
export function tomlLocator(text: string): TomlLocator {
  const reader = new Reader(text);
  reader.read();
  const lineStarts = [0];
  for (let j = text.indexOf("\n"); j >= 0; j = text.indexOf("\n", j + 1)) lineStarts.push(j + 1);
  const position = (offset: number): TomlPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  // { id } segments become indexes; a path whose id is not written so has no place.
  const resolve = (path: KeyPath): Path | null => {
    const out: Path = [];
    for (const seg of path) {
      if (typeof seg !== "object") out.push(seg);
      else {
        const index = reader.ids.get(JSON.stringify([...out, seg.id]));
        if (index === undefined) return null;
        out.push(index);
      }
    }
    return out;
  };
  return (path) => {
    const resolved = resolve(path);
    if (!resolved) return undefined;
    for (let n = resolved.length; n > 0; n--) {
      const at = reader.places.get(JSON.stringify(resolved.slice(0, n)));
      if (at !== undefined) return position(at);
    }
    return undefined;
  };
}
