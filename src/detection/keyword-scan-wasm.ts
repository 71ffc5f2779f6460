/**
 * The prefilter's search for small texts (a pre-commit's few files): every keyword found in one
 * pass over the bytes, in a WebAssembly function, with no RE2.Set to compile (~30 M instructions
 * for ~1,300 keywords, a third of what the hook did over a bare node) and no lower-cased copy.
 * Keywords are chained by a hash of their first three bytes (ASCII-lower-cased), two-byte
 * keywords by their two bytes; at each position the function walks the chain of the next three
 * bytes and compares its keywords whole. The tables are built in a few M instructions: a chain
 * link per keyword, where an automaton built in cold JS cost ~90 M (BENCHMARKS.md, hook helper).
 * Same answer as a case-insensitive RE2.Set for ASCII keywords on text without the Kelvin sign or
 * the long s (keyword-prefilter.ts sends those elsewhere); a property test checks it.
 *
 * The function, as text (params: text, len, short, koff, found, out; i32 all):
 *   for i in 0 .. len-2:  (text[len] is a 0 byte)
 *     for k in chain(SLOT3[hash(lo(text[i]), lo(text[i+1]), lo(text[i+2]))])
 *              and, when `short`, chain(SLOT2[lo(text[i]) << 8 | lo(text[i+1])]):
 *       if !found[k] and i + len(k) <= len and lo(text[i..]) starts with keyword k:
 *         found[k] = 1; out[count++] = k
 *   clear found[] of the hits; return count
 */

/** The part of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Memory layout: LOWER (256 bytes), SLOT3 and SLOT2 (65,536 u16 each), NEXT (u16 a keyword), then per index. */
const LOWER_AT = 0;
const SLOT3 = 256;
const SLOT2 = SLOT3 + 131072;
const NEXT = SLOT2 + 131072;
const PAGE = 65536;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

/**
 * The module's bytes (~600), from the pseudo-code above. The build (scripts/build-hook-bundle.mjs)
 * calls this and writes the result into the single-file bundles as LEAKSTOP_KEYWORD_SCAN_WASM:
 * built here, in cold JS with array spreads, they cost ~7 M instructions at every hook run.
 */
export function keywordScanModuleBytes(): Uint8Array {
  // Parameters 0-5, then ten i32 locals.
  const v = { text: 0, len: 1, short: 2, koff: 3, found: 4, out: 5, i: 6, b0: 7, b1: 8, b2: 9 } as const;
  const w = { k: 10, ko: 11, kl: 12, m: 13, count: 14, h: 15 } as const;
  const index = { ...v, ...w };
  type Local = keyof typeof index;
  const get = (x: Local) => [0x20, index[x]];
  const set = (x: Local) => [0x21, index[x]];
  const tee = (x: Local) => [0x22, index[x]];
  const c = (n: number) => [0x41, ...sleb(n)];
  const ld8 = [0x2d, 0, 0];
  const ld16 = (off: number) => [0x2f, 1, ...uleb(off)];
  const ld32 = (off: number) => [0x28, 2, ...uleb(off)];
  const st8 = [0x3a, 0, 0];
  const st32 = [0x36, 2, 0];
  const [add, sub, and, or, xor, shl] = [0x6a, 0x6b, 0x71, 0x72, 0x73, 0x74];
  const [eqz, eq, ne, ltu, leu, geu] = [0x45, 0x46, 0x47, 0x49, 0x4d, 0x4f];
  const [block, loop, ifv, end, br, brIf, ret] = [[0x02, 0x40], [0x03, 0x40], [0x04, 0x40], 0x0b, 0x0c, 0x0d, 0x0f];
  /** lo(byte at the address on the stack): LOWER sits at address 0. */
  const lower = (addr: number[]) => [...addr, ...ld8, ...ld8];
  // biome-ignore format: one line per step of the pseudo-code reads better than one token per line
  /** Checks every keyword of the chain whose first link (keyword + 1) is in local h, at position i. */
  const chain = [
    ...block, ...loop,
    ...get("h"), eqz, brIf, 1,
    ...get("h"), ...c(1), sub, ...set("k"),
    ...get("found"), ...get("k"), add, ...ld8, eqz,
    ...ifv,
    ...get("k"), ...c(2), shl, ...get("koff"), add, ...ld32(0), ...set("ko"),
    ...get("k"), ...c(2), shl, ...get("koff"), add, ...ld32(4), ...get("ko"), sub, ...set("kl"),
    ...get("i"), ...get("kl"), add, ...get("len"), leu,
    ...ifv,
    ...c(0), ...set("m"),
    ...block, ...loop,
    ...get("m"), ...get("kl"), geu, brIf, 1,
    ...lower([...get("text"), ...get("i"), add, ...get("m"), add]),
    ...get("ko"), ...get("m"), add, ...ld8, ne, brIf, 1,
    ...get("m"), ...c(1), add, ...set("m"), br, 0,
    end, end,
    ...get("m"), ...get("kl"), eq,
    ...ifv,
    ...get("found"), ...get("k"), add, ...c(1), ...st8,
    ...get("out"), ...get("count"), ...c(2), shl, add, ...get("k"), ...st32,
    ...get("count"), ...c(1), add, ...set("count"),
    end, end, end,
    ...get("k"), ...c(1), shl, ...ld16(NEXT), ...set("h"), br, 0,
    end, end,
  ];
  // biome-ignore format: as above
  const body = [
    ...get("len"), ...c(2), ltu, ...ifv, ...c(0), ret, end,
    ...lower(get("text")), ...set("b1"),
    ...lower([...get("text"), ...c(1), add]), ...set("b2"),
    ...loop,
    ...get("b1"), ...set("b0"), ...get("b2"), ...set("b1"),
    ...lower([...get("text"), ...get("i"), add, ...c(2), add]), ...set("b2"),
    ...get("b0"), ...c(11), shl, ...get("b1"), ...c(5), shl, xor, ...get("b2"), xor, ...c(0xffff), and,
    ...c(1), shl, ...ld16(SLOT3), ...set("h"),
    ...chain,
    ...get("short"),
    ...ifv,
    ...get("b0"), ...c(8), shl, ...get("b1"), or, ...c(1), shl, ...ld16(SLOT2), ...set("h"),
    ...chain,
    end,
    ...get("i"), ...c(1), add, ...tee("i"), ...c(2), add, ...get("len"), leu, brIf, 0,
    end,
    ...c(0), ...set("m"),
    ...block, ...loop,
    ...get("m"), ...get("count"), geu, brIf, 1,
    ...get("found"), ...get("out"), ...get("m"), ...c(2), shl, add, ...ld32(0), add, ...c(0), ...st8,
    ...get("m"), ...c(1), add, ...set("m"), br, 0,
    end, end,
    ...get("count"),
    end,
  ];
  const func = [1, 10, 0x7f, ...body];
  const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
  const name = (s: string) => [s.length, ...Buffer.from(s, "latin1")];
  // biome-ignore format: one line per section
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 6, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
    ...section(2, [1, ...name("env"), ...name("mem"), 2, 0, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name("match"), 0, 0]),
    ...section(10, [1, ...uleb(func.length), ...func]),
  ]);
}

/** Set by the build in the single-file bundles: {@link keywordScanModuleBytes}' result. */
declare const LEAKSTOP_KEYWORD_SCAN_WASM: number[] | undefined;

function moduleBytes(): Uint8Array {
  return typeof LEAKSTOP_KEYWORD_SCAN_WASM === "undefined"
    ? keywordScanModuleBytes()
    : new Uint8Array(LEAKSTOP_KEYWORD_SCAN_WASM);
}

let compiled: object | null = null;

type MatchFn = (text: number, len: number, short: number, koff: number, found: number, out: number) => number;

/** Lower-case ASCII keywords of two bytes or more, searched in small texts (see the module comment). */
export class WasmKeywordIndex {
  private readonly memory: WasmMemory;
  private readonly run: MatchFn;
  private readonly koff: number;
  private readonly found: number;
  private readonly out: number;
  private readonly text: number;
  private readonly short: number;

  /** @throws when WebAssembly is not available (node --jitless): the caller then uses its RE2.Set */
  constructor(keywords: readonly string[]) {
    const n = keywords.length;
    const bytes = Buffer.from(keywords.join(""), "latin1");
    this.koff = NEXT + ((n * 2 + 3) & ~3);
    const kbytes = this.koff + (n + 1) * 4;
    this.found = kbytes + bytes.length;
    this.out = (this.found + n + 3) & ~3;
    this.text = this.out + n * 4;
    this.memory = new wasm!.Memory({ initial: Math.ceil((this.text + 1) / PAGE) });
    compiled ??= new wasm!.Module(moduleBytes());
    const instance = new wasm!.Instance(compiled, { env: { mem: this.memory } });
    this.run = instance.exports.match as MatchFn;
    const buf = this.memory.buffer;
    const u8 = new Uint8Array(buf);
    for (let b = 0; b < 256; b++) u8[LOWER_AT + b] = b >= 65 && b <= 90 ? b + 32 : b;
    u8.set(bytes, kbytes);
    const slot3 = new Uint16Array(buf, SLOT3, 65536);
    const slot2 = new Uint16Array(buf, SLOT2, 65536);
    const next = new Uint16Array(buf, NEXT, n);
    const koff = new Uint32Array(buf, this.koff, n + 1);
    let at = kbytes;
    let short = 0;
    for (let k = 0; k < n; k++) {
      const kw = keywords[k]!;
      koff[k] = at;
      at += kw.length;
      const b0 = kw.charCodeAt(0);
      const b1 = kw.charCodeAt(1);
      const table = kw.length === 2 ? slot2 : slot3;
      const h = kw.length === 2 ? (b0 << 8) | b1 : ((b0 << 11) ^ (b1 << 5) ^ kw.charCodeAt(2)) & 0xffff;
      if (kw.length === 2) short = 1;
      next[k] = table[h]!;
      table[h] = k + 1;
    }
    koff[n] = at;
    this.short = short;
  }

  /** Whether `keywords` can be indexed: at most 65,535, ASCII without upper case, at least two bytes each. */
  static fits(keywords: readonly string[]): boolean {
    return (
      wasm !== undefined &&
      keywords.length < 65536 &&
      keywords.every((k) => k.length >= 2 && /^[\x00-\x40\x5b-\x7f]+$/.test(k))
    );
  }

  /** Indexes of the keywords that occur in `data` (ASCII case ignored), ascending. */
  match(data: Buffer): number[] {
    const need = this.text + data.length + 1;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    const u8 = new Uint8Array(this.memory.buffer);
    u8.set(data, this.text);
    u8[this.text + data.length] = 0;
    const count = this.run(this.text, data.length, this.short, this.koff, this.found, this.out);
    return Array.from(new Uint32Array(this.memory.buffer, this.out, count)).sort((a, b) => a - b);
  }
}
