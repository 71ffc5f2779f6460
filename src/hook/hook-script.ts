/**
 * The shell scripts `leakstop hook install` writes. They run the hook that was there before (kept
 * next to it as `<name>.pre-leakstop`) first, so a formatter can still change what is staged,
 * then leakstop with the node and CLI paths of the install (falling back to `leakstop` on PATH).
 */

/** Marks a hook file as ours: a re-install updates it instead of chaining it to itself. */
export const HOOK_MARKER = "# leakstop-hook: installed by `leakstop hook install`";

export type HookKind = "pre-commit" | "pre-push";

/** Where the hook that was there before ours is kept. */
export function chainedName(kind: HookKind): string {
  return `${kind}.pre-leakstop`;
}

/** Single-quoted for sh: safe for any path. */
function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface ScriptOptions {
  kind: HookKind;
  /** Absolute path of the node binary, and of leakstop's bin/leakstop.js. */
  node: string;
  cli: string;
  /** Run `<kind>.pre-leakstop` first. */
  chain: boolean;
  /** `hook install --report`: the hook reports what it finds (hook run --report). */
  report?: boolean;
}

export function hookScript(o: ScriptOptions): string {
  const run = `${o.kind === "pre-push" ? "hook run --pre-push" : "hook run"}${o.report ? " --report" : ""}`;
  const stdin = o.kind === "pre-push" ? ' < "$input"' : "";
  const lines = [
    "#!/bin/sh",
    HOOK_MARKER,
    "# Remove this file to uninstall; leakstop scans only what this commit or push adds.",
  ];
  if (o.kind === "pre-push") {
    // git writes the pushed refs on stdin once; both hooks need them.
    lines.push(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      'input=$(mktemp "${TMPDIR:-/tmp}/leakstop-pre-push.XXXXXX") || exit 1',
      "trap 'rm -f \"$input\"' EXIT",
      'cat > "$input"',
    );
  }
  if (o.chain) {
    // The hook's folder without a dirname process (git runs a hook by its path).
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    lines.push("case $0 in */*) hook_dir=${0%/*} ;; *) hook_dir=. ;; esac");
    const chained = `"$hook_dir/${chainedName(o.kind)}"`;
    lines.push(`if [ -x ${chained} ]; then`, `  ${chained} "$@"${stdin} || exit $?`, "fi");
  }
  lines.push(`node=${shQuote(o.node)}`, `cli=${shQuote(o.cli)}`);
  if (o.kind === "pre-commit") {
    // node replaces the shell (nothing to clean up after it): no shell waiting on every commit.
    lines.push(
      'if [ -x "$node" ] && [ -f "$cli" ]; then',
      `  exec "$node" "$cli" ${run} "$@"`,
      "fi",
      `exec leakstop ${run} "$@"`,
    );
  } else {
    lines.push(
      'if [ -x "$node" ] && [ -f "$cli" ]; then',
      `  "$node" "$cli" ${run} "$@"${stdin}`,
      "else",
      `  leakstop ${run} "$@"${stdin}`,
      "fi",
      "exit $?",
    );
  }
  return `${lines.join("\n")}\n`;
}
