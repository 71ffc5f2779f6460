/**
 * Minified JavaScript bundles and source maps: megabytes on a handful of very long lines,
 * the shape that makes line-oriented scanners slow and memory-hungry.
 */
import { BASE62, BASE64, type Rng } from "../lib/prng.js";
import { minifiedDecoyLine } from "./decoys.js";

const KEYWORDS = ["function", "return", "var", "this", "new", "typeof", "void", "null", "true", "false", "if", "else"];
const PROPS = [
  "length",
  "prototype",
  "call",
  "apply",
  "push",
  "map",
  "then",
  "exports",
  "default",
  "createElement",
  "useState",
  "props",
  "children",
  "key",
  "ref",
  "value",
  "style",
  "className",
  "onClick",
];

function statement(rng: Rng): string {
  const a = rng.chars("abcdefghijklmnopqrstuvwxyz", 1);
  const b = rng.chars("abcdefghijklmnopqrstuvwxyz", rng.range(1, 2));
  switch (rng.int(6)) {
    case 0:
      return `function ${a}${b}(e,t,n){${rng.pick(KEYWORDS)} e.${rng.pick(PROPS)}(t,n)}`;
    case 1:
      return `${a}.${rng.pick(PROPS)}=${b}.${rng.pick(PROPS)}||{}`;
    case 2:
      return `var ${a}=n(${rng.range(1, 9999)}),${b}=n.n(${a})`;
    case 3:
      return `${a}("${rng.pick(PROPS)}-${rng.pick(PROPS)}",{${rng.pick(PROPS)}:${rng.range(0, 999)}})`;
    case 4:
      return `if(!${a}.${rng.pick(PROPS)})throw new Error("Invariant failed: ${rng.pick(PROPS)}")`;
    default:
      return `return ${a}&&${b}.${rng.pick(PROPS)}?${a}:void 0`;
  }
}

/**
 * A bundle of about `bytes` bytes on `lines` lines. `plant` is called once per line with the
 * current line text so far; a non-empty return value is inserted there (for planted secrets).
 */
export function minifiedBundle(
  rng: Rng,
  bytes: number,
  lines: number,
  plant?: (line: number, column: number) => string,
): string {
  const perLine = Math.ceil(bytes / lines);
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    const parts: string[] = [];
    let size = 0;
    const plantAt = rng.int(perLine);
    let planted = false;
    while (size < perLine) {
      let s = statement(rng);
      if (rng.chance(0.002)) s = minifiedDecoyLine(rng);
      if (rng.chance(0.0005)) s = `var img="data:image/png;base64,${rng.chars(BASE64, rng.range(200, 4000))}"`;
      if (!planted && plant && size >= plantAt) {
        planted = true;
        const p = plant(l + 1, size + 1);
        if (p) s = p;
      }
      parts.push(s);
      size += s.length + 1;
    }
    out.push(parts.join(";"));
  }
  return `${out.join("\n")}\n`;
}

/** A source map: one huge JSON line with VLQ mappings (random-looking but harmless). */
export function sourceMap(rng: Rng, bytes: number): string {
  const seg = () => rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", rng.range(4, 8));
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const s = seg();
    parts.push(s);
    size += s.length + 1;
  }
  const sources = Array.from({ length: 20 }, () => `webpack:///./src/${rng.chars(BASE62, 8)}.tsx`);
  return `{"version":3,"sources":${JSON.stringify(sources)},"names":[],"mappings":"${parts.join(rng.chance(0.5) ? "," : ";")}"}\n`;
}
