import { spawnSync } from "node:child_process";

/** Whether a command is on PATH (gitleaks, hyperfine: rows are added only where they exist). */
export function onPath(bin: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
}
