/**
 * npm writes every file of a package tarball with one fixed mtime (1985-10-26T08:15:00Z, for
 * reproducible tarballs), and an install keeps it. A build's records of its files' mtimes then no
 * longer match, though the bytes are the build's own: a file with that mtime and its recorded size is
 * taken as unchanged since packing (a later hand edit gives it the time of the edit).
 */
export const NPM_PACKED_MTIME_MS = Date.UTC(1985, 9, 26, 8, 15, 0);

/** Whether a file's mtime says it is unchanged since it was recorded (or since npm packed it). */
export function sameMtime(actualMs: number, recordedMs: number): boolean {
  return actualMs === recordedMs || actualMs === NPM_PACKED_MTIME_MS;
}
