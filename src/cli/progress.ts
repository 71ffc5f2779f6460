/** A one-line progress bar on stderr, redrawn at most every 100 ms; only used on a TTY. */
export function makeProgress(
  enabled: boolean,
  unit = "files",
): { update: (done: number, total: number) => void; end: () => void } {
  if (!enabled) return { update: () => {}, end: () => {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${unit}`);
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write("\r\x1b[K");
    },
  };
}
