/**
 * The order in which a history's texts are scanned. `git log` lists newest first, and a delta
 * scan reads each new blob with its base (the version it replaced), which the listing meets only
 * later: in listing order nearly every blob would be read twice, once as a base and once as
 * itself. So blobs are scanned each right after its base, and the reader still holds the base it
 * has just scanned (sources/git/blob-reader.ts): git reads every version once.
 *
 * That order needs no wait for the whole listing: a base is always a blob not listed yet
 * (history-log.ts), so when a blob without a base is listed (a file's first version, the root
 * of its chain), every version built on it has been listed already, and the whole chain can be
 * scanned at once, while git goes on listing. Commit messages are scanned as listed.
 */
import type { HistoryItem } from "../sources/git/blob-reader.js";
import { type HistoryIndex, IntColumn, type Listed } from "../sources/git/history-log.js";

/**
 * Yields every listed item once: messages as listed, each blob chain as soon as its root is
 * listed (then the chains whose root never came, at the end). Throws the listing's failure.
 */
export async function* scanOrder(listing: AsyncIterable<Listed>, index: HistoryIndex): AsyncGenerator<HistoryItem> {
  // Ready to scan: blob index, or -1 - commit index for a commit's message.
  const ready: number[] = [];
  const chains = new Chains(index);
  let ended = false;
  let failure: unknown = null;
  // Resolves the scan's wait for more ready items (typed so: it is set inside a callback).
  let wake = null as (() => void) | null;
  // Set when the scan stops early (a failure): the listing then stops too (its git is ended).
  let stop = false;
  const drained = (async () => {
    try {
      for await (const item of listing) {
        if (stop) break;
        if (item.kind === "message") ready.push(-1 - item.commit);
        else chains.add(item.blob, ready);
        wake?.();
      }
      if (!stop) for (const b of chains.rest()) ready.push(b);
    } catch (err) {
      failure = err;
    } finally {
      ended = true;
      wake?.();
    }
  })();
  let head = 0;
  try {
    for (;;) {
      if (head === ready.length) {
        if (ended) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      const next = ready[head++]!;
      if (head > 65536) {
        ready.splice(0, head);
        head = 0;
      }
      yield next < 0 ? index.messageItem(-1 - next) : index.blobItem(next);
    }
    if (failure) throw failure;
  } finally {
    stop = true;
    await drained;
  }
}

/** Listed blobs waiting for the root of their chain, linked to their bases. */
class Chains {
  private readonly firstChild = new IntColumn(-1);
  private readonly nextSibling = new IntColumn(-1);
  private readonly waiting: number[] = [];
  private readonly emitted = new IntColumn(0);

  constructor(private readonly index: HistoryIndex) {}

  /** Records listed blob `b`; a root emits its whole chain (depth first, each version after its base) into `out`. */
  add(b: number, out: number[]): void {
    const base = this.index.baseOf.get(b);
    if (base !== -1) {
      this.nextSibling.set(b, this.firstChild.get(base));
      this.firstChild.set(base, b);
      this.waiting.push(b);
      return;
    }
    const stack = [b];
    while (stack.length > 0) {
      const x = stack.pop()!;
      out.push(x);
      this.emitted.set(x, 1);
      for (let c = this.firstChild.get(x); c !== -1; c = this.nextSibling.get(c)) stack.push(c);
    }
  }

  /** The blobs whose root never came (a base the walk did not list), in {@link baseOrder}. */
  rest(): number[] {
    return baseOrder(
      this.index,
      this.waiting.filter((b) => this.emitted.get(b) === 0),
    );
  }
}

/**
 * `blobs` reordered so that a blob comes right after its base wherever it can (depth first over
 * the bases: a version with two successors, on two branches, is followed by the first of them).
 * A blob whose base is not among `blobs` starts a chain of its own. Bases always point to blobs
 * listed later (history-log.ts), so the chains cannot loop.
 */
export function baseOrder(index: HistoryIndex, blobs: readonly number[]): number[] {
  const n = index.blobCount;
  const wanted = new Uint8Array(n);
  for (const b of blobs) wanted[b] = 1;
  const firstChild = new Int32Array(n).fill(-1);
  const nextSibling = new Int32Array(n).fill(-1);
  const roots: number[] = [];
  // Linked in reverse, so that each base's successors keep their listing order.
  for (let i = blobs.length - 1; i >= 0; i--) {
    const b = blobs[i]!;
    const base = index.baseOf.get(b);
    if (base === -1 || wanted[base] !== 1) roots.push(b);
    else {
      nextSibling[b] = firstChild[base]!;
      firstChild[base] = b;
    }
  }
  const out: number[] = [];
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) {
    stack.push(roots[r]!);
    while (stack.length > 0) {
      const b = stack.pop()!;
      out.push(b);
      // Successors go on the stack last first, so the first is scanned next.
      const kids: number[] = [];
      for (let c = firstChild[b]!; c !== -1; c = nextSibling[c]!) kids.push(c);
      for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
    }
  }
  return out;
}
