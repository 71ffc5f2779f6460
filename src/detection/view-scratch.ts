/**
 * Reusable memory for the views' same-length copies of a text (escaped quotes, notebook lines,
 * unescape). A fresh copy per text costs more than the copying: a tree scan of git/git copies
 * ~50 MB that way (its `po/*.po` files are full of `\"` and `\n`), each big copy new memory the
 * kernel maps page by page and the garbage collector later frees. One buffer per view and thread,
 * reused text after text, is touched once. Safe because a view lives only while detectFragment
 * runs (synchronously: nothing else on the thread can ask for the same slot meanwhile) and
 * nothing keeps it: findings copy what they need as strings.
 */

/** Copies up to this size reuse the slot's buffer (a chunk of a big file: 8 MiB plus its overlap); larger ones are fresh. */
const MAX_REUSED = 9 * 1024 * 1024;
/** The smallest buffer a slot holds, so that small texts do not grow it step by step. */
const MIN_SLOT = 256 * 1024;

export class ViewScratch {
  private buffer: Buffer | null = null;

  /** A copy of `data` in this slot's memory (valid until the slot's next copy). */
  copyOf(data: Buffer): Buffer {
    if (data.length > MAX_REUSED) return Buffer.from(data);
    if (this.buffer === null || this.buffer.length < data.length) {
      this.buffer = Buffer.allocUnsafeSlow(Math.max(MIN_SLOT, 2 ** Math.ceil(Math.log2(data.length))));
    }
    data.copy(this.buffer);
    return this.buffer.subarray(0, data.length);
  }
}
