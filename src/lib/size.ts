/** Parses sizes such as "500", "64k", "10MB", "1.5GiB" into bytes; null when malformed. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(text);
  if (!m) return null;
  const power = " kmgt".indexOf((m[2] || " ").toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}

/** Bytes in binary units with one decimal above 1 KiB: "512 B", "3.4 KiB", "47.0 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** 4847 → "4,847". Not toLocaleString: loading ICU costs a short command ~15 ms of start-up. */
export function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
