/**
 * A source map's `"mappings"` (`*.map`) holds base64 VLQ segments separated by `,` and `;` (Source
 * Map Revision 3, https://tc39.es/ecma426/): by the format's definition no credential, yet minified
 * projects commit it by the megabyte and it is full of what rules' keywords and value shapes look for
 * (`EAA`, `sk`, base64 runs). It is read as blanks of the same length (every offset, line and column
 * stays exact), only when the whole value is of that alphabet; the `sourcesContent` (the sources,
 * which may hold a key) is read as before. Blanked where a text is read, in the reader's own buffer,
 * before anything scans or compares it: history's delta probes compare blanked versions, where the
 * mappings' changes (all of them shift with any edit) vanish. npm lockfiles' hashes and tarball URLs
 * are blanked in the engine's view instead (detection/lockfile-view.ts).
 */

const SPACE = 0x20;
const QUOTE = 0x22;

/** A source map's mappings: base64 digits, `,` between segments, `;` between lines. */
const VLQ = /^[A-Za-z0-9+/,;]*$/;

const MAPPINGS = Buffer.from('"mappings"');

const isBlank = (b: number | undefined) => b === SPACE || b === 0x09 || b === 0x0a || b === 0x0d;

/** The [start, end) of the string value after the JSON key ending at `at`, or null when no string follows. */
function stringValueAfter(data: Buffer, at: number): [number, number] | null {
  let i = at;
  while (isBlank(data[i])) i++;
  if (data[i] !== 0x3a) return null;
  i++;
  while (isBlank(data[i])) i++;
  if (data[i] !== QUOTE) return null;
  const end = data.indexOf(QUOTE, i + 1);
  return end === -1 ? null : [i + 1, end];
}

/** Blanks the string value of every `key` whose whole value `shape` accepts; returns how many bytes. */
function blankValues(data: Buffer, key: Buffer, shape: RegExp): number {
  let blanked = 0;
  for (let at = data.indexOf(key); at !== -1; at = data.indexOf(key, at + key.length)) {
    const value = stringValueAfter(data, at + key.length);
    if (value === null) continue;
    const [start, end] = value;
    // Already blank (a history base blanked before): nothing to test.
    if (end > start && data[start] !== SPACE && shape.test(data.toString("latin1", start, end))) {
      data.fill(SPACE, start, end);
      blanked += end - start;
    }
    at = end;
  }
  return blanked;
}

/**
 * Blanks a source map's mappings in place (`data` must be the reader's own copy); returns the
 * number of bytes blanked (0 for any other file).
 */
export function blankInertSpans(path: string, data: Buffer): number {
  return path.length > 4 && path.endsWith(".map") ? blankValues(data, MAPPINGS, VLQ) : 0;
}
