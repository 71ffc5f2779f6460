/**
 * Texts scanned as a group: the keyword prefilter (one RE2.Set over every rule keyword) runs over
 * the group's texts back to back, then the rules over each text. Run text by text between the
 * rules' own regexes and the blobs, the set's automaton falls out of the CPU caches and the
 * prefilter costs several times more than over the same texts back to back (BENCHMARKS.md,
 * "where node's CPU goes in a git/git history scan"). Readers reuse their buffers, so each text is
 * copied into one arena, reused group after group; a text bigger than the arena is scanned at once.
 */
import type { Engine } from "../detection/compile.js";
import { type DetectOptions, detectViewed, keywordsOf, type ViewedFragment, viewOf } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import { type Fragment, fragmentOf } from "../sources/fragment.js";

/** Bytes of text held before the group is scanned: many small texts, a small part of a worker's memory. */
export const GROUP_BYTES = 1024 * 1024;

interface Member {
  /** The item the text belongs to. */
  item: number;
  frag: Fragment;
  /** A probe window: findings in it only mean the item must be scanned whole. */
  probe: boolean;
}

export interface GroupSink {
  /** What the rules found in one text of item `item` (called in the order the texts were added). */
  found(item: number, findings: Finding[], probe: boolean): void;
  /** Whether item `item` needs no more scanning (a probe window of it found something already). */
  settled(item: number): boolean;
}

/** Arenas given back by finished groups: a thread scanning batch after batch allocates one. */
const spare: Buffer[] = [];

export class TextGroup {
  private readonly arena: Buffer;
  private used = 0;
  private members: Member[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly opts: DetectOptions,
    private readonly sink: GroupSink,
    bytes = GROUP_BYTES,
  ) {
    const at = spare.findIndex((b) => b.length === bytes);
    this.arena = at === -1 ? Buffer.allocUnsafe(bytes) : spare.splice(at, 1)[0]!;
  }

  /** Gives the arena back for the next group (after the last flush; the group is not used again). */
  release(): void {
    this.members = [];
    this.used = 0;
    spare.push(this.arena);
  }

  /** Adds bytes [from, to) of `frag` (all of it by default); a probe window's lines count from its start. */
  add(item: number, frag: Fragment, probe = false, from = 0, to = frag.data.length): void {
    const size = to - from;
    if (size > this.arena.length - this.used) this.flush();
    const held = (data: Buffer) =>
      probe
        ? fragmentOf(frag, data, 1, 0, size)
        : fragmentOf(frag, data, frag.firstLine, frag.firstColumn, frag.acceptBefore);
    if (size > this.arena.length) {
      // Too big to hold: scanned now (the group before it was just scanned, so the order is kept).
      this.scan([{ item, frag: held(frag.data.subarray(from, to)), probe }]);
      return;
    }
    const data = this.arena.subarray(this.used, this.used + size);
    frag.data.copy(data, 0, from, to);
    this.used += size;
    this.members.push({ item, frag: held(data), probe });
  }

  /** Scans every text held (call before the readers' items are reported). */
  flush(): void {
    const members = this.members;
    this.members = [];
    this.scan(members);
    this.used = 0;
  }

  private scan(members: Member[]): void {
    const { engine, opts, sink } = this;
    // A view that copied its text lives in memory the next text's view reuses
    // (detection/view-scratch.ts): such a view is made again for the rules (undefined here).
    const viewed: (ViewedFragment | null | undefined)[] = [];
    const present: number[][] = [];
    // The prefilter over every text first, back to back: its automaton stays in the caches.
    for (const m of members) {
      const v = viewOf(engine, m.frag, opts);
      viewed.push(v && v.data === v.raw && v.text === v.raw ? v : v && undefined);
      present.push(v ? keywordsOf(engine, v) : []);
    }
    members.forEach((m, i) => {
      if (m.probe && sink.settled(m.item)) return;
      const v = viewed[i] === undefined ? viewOf(engine, m.frag, opts) : viewed[i];
      if (v) sink.found(m.item, detectViewed(engine, v, opts, present[i]), m.probe);
    });
  }
}
