/** Markdown tables for benchmark results. */
import { median, type Series } from "./measure.js";

const fmt = (n: number | null, digits = 2) => (n === null || !Number.isFinite(n) ? "–" : n.toFixed(digits));

/** One row per series: medians over the measured runs (the warm-up run is not counted). */
export function speedTable(series: Series[], tree: { files: number; bytes: number }): string {
  const head = [
    "| command | runs | median wall (s) | min (s) | MB/s | files/s | peak RSS (MB) | user+sys CPU (s) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const rows = series.map((s) => {
    const walls = s.runs.map((r) => r.wallMs / 1000);
    const wall = median(walls);
    const rss = s.runs.map((r) => r.maxRssMb).filter((x): x is number => x !== null);
    const cpu = s.runs.map((r) => (r.userS ?? Number.NaN) + (r.sysS ?? Number.NaN));
    const readsTree = !/start-up|--version|rules list|compile/.test(s.label);
    return `| ${s.label} | ${s.runs.length} | ${fmt(wall, 3)} | ${fmt(Math.min(...walls), 3)} | ${readsTree ? fmt(tree.bytes / 1048576 / wall, 1) : "–"} | ${readsTree ? fmt(tree.files / wall, 0) : "–"} | ${rss.length ? fmt(Math.max(...rss), 0) : "–"} | ${fmt(median(cpu), 2)} |`;
  });
  return [...head, ...rows].join("\n");
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}
