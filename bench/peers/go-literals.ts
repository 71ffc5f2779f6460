/**
 * Just enough of Go to read string test cases out of another scanner's test files without running
 * them: string literals, named constants and variables, `+`, fmt.Sprintf, strings.Repeat/Join,
 * `[]string{…}` and nil. Anything else evaluates to OPAQUE and the case is skipped, never guessed.
 */

export const OPAQUE = Symbol("opaque");
export type GoValue = string | number | GoValue[] | null | typeof OPAQUE;

type Tok = { k: "str" | "ident" | "num" | "punct"; v: string };

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  '"': '"',
  "'": "'",
  "\\": "\\",
  a: "\x07",
  b: "\b",
};
const PUNCT3 = [":=", "...", "==", "!=", "&&", "||", "<-", "+=", "<=", ">="];

function unquote(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_m, e: string) => {
    if (e[0] === "x" || e[0] === "u" || e[0] === "U") return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return ESCAPES[e] ?? e;
  });
}

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) i++;
    else if (src.startsWith("//", i)) i = src.indexOf("\n", i) < 0 ? src.length : src.indexOf("\n", i);
    else if (src.startsWith("/*", i)) i = src.indexOf("*/", i + 2) < 0 ? src.length : src.indexOf("*/", i + 2) + 2;
    else if (c === "`") {
      const end = src.indexOf("`", i + 1);
      out.push({ k: "str", v: src.slice(i + 1, end < 0 ? src.length : end).replace(/\r/g, "") });
      i = end < 0 ? src.length : end + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      out.push({ k: c === '"' ? "str" : "num", v: unquote(src.slice(i + 1, j)) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*/.exec(src.slice(i, i + 200))!;
      out.push({ k: "ident", v: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][\w.]*/.exec(src.slice(i, i + 50))!;
      out.push({ k: "num", v: m[0] });
      i += m[0].length;
    } else {
      const p3 = PUNCT3.find((p) => src.startsWith(p, i));
      out.push({ k: "punct", v: p3 ?? c });
      i += p3 ? p3.length : 1;
    }
  }
  return out;
}

/** Go's fmt verbs that test cases use; a verb it does not know makes the result OPAQUE. */
function sprintf(format: string, args: GoValue[]): GoValue {
  let n = 0;
  let bad = false;
  const out = format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])/g, (_m, _flags, verb: string) => {
    if (verb === "%") return "%";
    const a = args[n++];
    if (a === undefined || a === OPAQUE || a === null || Array.isArray(a)) {
      bad = true;
      return "";
    }
    if (verb === "s" || verb === "v" || verb === "d") return String(a);
    if (verb === "q") return JSON.stringify(String(a));
    bad = true;
    return "";
  });
  return bad ? OPAQUE : out;
}

function call(fn: string, args: GoValue[]): GoValue {
  const [a, b] = args;
  if (args.some((x) => x === OPAQUE)) return OPAQUE;
  switch (fn) {
    case "fmt.Sprintf":
      return typeof a === "string" ? sprintf(a, args.slice(1)) : OPAQUE;
    case "strings.Repeat":
      return typeof a === "string" && typeof b === "number" ? a.repeat(b) : OPAQUE;
    case "strings.Join":
      return Array.isArray(a) && typeof b === "string" && a.every((x) => typeof x === "string") ? a.join(b) : OPAQUE;
    case "string":
    case "[]byte":
      return typeof a === "string" ? a : OPAQUE;
    default:
      return OPAQUE;
  }
}

/** A recursive-descent reader over the token list; `names` resolves identifiers. */
export class GoReader {
  pos = 0;
  constructor(
    readonly toks: Tok[],
    readonly names: Map<string, GoValue>,
  ) {}

  peek(d = 0): Tok | undefined {
    return this.toks[this.pos + d];
  }

  private is(v: string, d = 0): boolean {
    const t = this.peek(d);
    return t !== undefined && t.k === "punct" && t.v === v;
  }

  /** Skips one balanced (), [] or {} group starting at pos. */
  skipGroup(): void {
    const open = this.peek()?.v;
    const close = open === "(" ? ")" : open === "[" ? "]" : "}";
    let depth = 0;
    while (this.pos < this.toks.length) {
      const t = this.toks[this.pos++]!;
      if (t.k !== "punct") continue;
      if (t.v === open) depth++;
      else if (t.v === close && --depth === 0) return;
    }
  }

  /** An expression up to (not including) a `,` `)` `}` or a statement's end. */
  expr(): GoValue {
    let v = this.term();
    while (this.is("+")) {
      this.pos++;
      const r = this.term();
      v = typeof v === "string" && typeof r === "string" ? v + r : OPAQUE;
    }
    return v;
  }

  private list(close: string): GoValue[] {
    const out: GoValue[] = [];
    while (this.pos < this.toks.length && !this.is(close)) {
      out.push(this.expr());
      if (this.is(",")) this.pos++;
      else if (!this.is(close)) {
        // Something this reader does not know: give up on the rest of the list.
        while (this.pos < this.toks.length && !this.is(close)) {
          if (this.is("(") || this.is("[") || this.is("{")) this.skipGroup();
          else this.pos++;
        }
        out.push(OPAQUE);
      }
    }
    this.pos++;
    return out;
  }

  term(): GoValue {
    const t = this.peek();
    if (!t) return OPAQUE;
    if (t.k === "str") {
      this.pos++;
      return t.v;
    }
    if (t.k === "num") {
      this.pos++;
      return /^\d+$/.test(t.v) ? Number(t.v) : OPAQUE;
    }
    if (t.k === "punct" && t.v === "(") {
      this.pos++;
      const v = this.expr();
      if (this.is(")")) this.pos++;
      return v;
    }
    if (t.k === "punct" && t.v === "[" && this.is("]", 1)) {
      // []T{…} or []byte(…)
      const type = this.peek(2);
      this.pos += 3;
      if (type?.v === "byte" && this.is("(")) {
        this.pos++;
        return call("[]byte", this.list(")"));
      }
      if (this.is("{")) {
        this.pos++;
        const items = this.list("}");
        return type?.v === "string" ? items : OPAQUE;
      }
      return OPAQUE;
    }
    if (t.k === "ident") {
      this.pos++;
      if (t.v === "nil") return null;
      if (this.is("(")) {
        this.pos++;
        return call(t.v, this.list(")"));
      }
      if (this.is("{")) {
        this.skipGroup();
        return OPAQUE;
      }
      return this.names.has(t.v) ? this.names.get(t.v)! : OPAQUE;
    }
    if (t.k === "punct" && (t.v === "{" || t.v === "(" || t.v === "[")) this.skipGroup();
    else this.pos++;
    return OPAQUE;
  }
}

/**
 * Every `name = expr`, `name := expr` and `const/var name = expr` in the file whose value this
 * reader can evaluate, in source order (later definitions see earlier ones). Two passes, so a
 * package-level variable defined below its first use still resolves.
 */
export function readNames(toks: Tok[]): Map<string, GoValue> {
  const names = new Map<string, GoValue>();
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i + 2 < toks.length; i++) {
      const [a, b] = [toks[i]!, toks[i + 1]!];
      if (a.k !== "ident" || b.k !== "punct" || (b.v !== "=" && b.v !== ":=")) continue;
      if (toks[i - 1]?.k === "punct" && toks[i - 1]!.v === ",") continue; // a, b := … (tuple)
      const r = new GoReader(toks, names);
      r.pos = i + 2;
      const v = r.expr();
      if (v !== OPAQUE) names.set(a.v, v);
      else if (pass === 1 && !names.has(a.v)) names.set(a.v, OPAQUE);
    }
  }
  return names;
}

export interface KeyedLiteral {
  fields: Map<string, GoValue>;
}

/** Every `{ key: expr, … }` composite literal that has all of `keys` (e.g. a test table's rows). */
export function keyedLiterals(toks: Tok[], names: Map<string, GoValue>, keys: string[]): KeyedLiteral[] {
  const out: KeyedLiteral[] = [];
  for (let i = 0; i + 2 < toks.length; i++) {
    if (toks[i]!.v !== "{" || toks[i + 1]!.k !== "ident" || toks[i + 2]!.v !== ":") continue;
    const r = new GoReader(toks, names);
    r.pos = i + 1;
    const fields = new Map<string, GoValue>();
    while (r.peek()?.k === "ident" && r.peek(1)?.v === ":") {
      const key = r.peek()!.v;
      r.pos += 2;
      fields.set(key, r.expr());
      if (r.peek()?.v === ",") r.pos++;
      else break;
    }
    if (keys.every((k) => fields.has(k))) out.push({ fields });
  }
  return out;
}
