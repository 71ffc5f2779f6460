/**
 * Writes a secret or a decoy into a file of a given format the way people really do
 * (.env lines, YAML block scalars, JSON strings with \n escapes, template literals,
 * heredocs, notebook cells...) and keeps track of the line it lands on.
 */
import type { Rng } from "../lib/prng.js";
import { type Format, fillerBlock } from "./filler.js";

/** What to place: `text` under a SCREAMING_SNAKE `name`. */
export interface Entry {
  name: string;
  text: string;
  multiline?: boolean;
  /** An expression such as process.env.X instead of a literal. */
  ref?: boolean;
}

/** Where an entry landed: 1-based, inclusive line span of its text. */
export interface Placement {
  line: number;
  endLine: number;
}

const snake = (n: string) => n.toLowerCase();
const camel = (n: string) => n.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const escapeNewlines = (t: string) => t.replace(/\n/g, "\\n");
const jsonString = (t: string) => JSON.stringify(t).slice(1, -1);

function reference(format: Format, name: string): string {
  const refs: Record<Format, string> = {
    ts: `const ${camel(name)} = process.env.${name};`,
    js: `const ${camel(name)} = process.env.${name} || "";`,
    py: `${name} = os.environ["${name}"]`,
    ipynb: `${snake(name)} = os.getenv("${name}")`,
    go: `\t${camel(name)} := os.Getenv("${name}")`,
    java: `    private final String ${camel(name)} = System.getenv("${name}");`,
    yaml: `  ${snake(name)}: \${{ secrets.${name} }}`,
    json: `  "${camel(name)}": "\${${name}}",`,
    env: `${name}=\${VAULT_${name}}`,
    tf: `  ${snake(name)} = var.${snake(name)}`,
    dockerfile: `ARG ${name}`,
    md: `Set \`${name}\` in your shell: \`export ${name}=...\``,
    sh: `export ${name}="\${${name}:?${name} must be set}"`,
    properties: `${snake(name).replace(/_/g, ".")}=\${${name}}`,
    toml: `${snake(name)} = "\${${name}}"`,
  };
  return refs[format];
}

function singleLine(rng: Rng, format: Format, name: string, text: string): string {
  const c = camel(name);
  switch (format) {
    case "env":
      return rng.chance(0.5) ? `${name}=${text}` : `${name}="${text}"`;
    case "sh":
      return `export ${name}="${text}"`;
    case "dockerfile":
      return rng.chance(0.5) ? `ENV ${name}=${text}` : `ARG ${name}="${text}"`;
    case "yaml":
      return rng.chance(0.5) ? `  ${snake(name)}: ${text}` : `  ${snake(name)}: "${text}"`;
    case "json":
      return `  "${c}": "${text}",`;
    case "ts":
    case "js":
      return rng.pick([`const ${c} = "${text}";`, `export const ${name} = '${text}';`, `  ${c}: "${text}",`]);
    case "py":
      return rng.chance(0.5) ? `${name} = "${text}"` : `client = Client(${snake(name)}="${text}")`;
    case "ipynb":
      return `${snake(name)} = "${text}"`;
    case "go":
      return rng.chance(0.5) ? `const ${c} = "${text}"` : `\t${c[0]!.toUpperCase()}${c.slice(1)}: "${text}",`;
    case "java":
      return `    private static final String ${name} = "${text}";`;
    case "tf":
      return `  ${snake(name)} = "${text}"`;
    case "md":
      return rng.chance(0.5) ? `Use \`${name}=${text}\` for the staging account.` : `    export ${name}=${text}`;
    case "properties":
      return `${snake(name).replace(/_/g, ".")}=${text}`;
    case "toml":
      return `${snake(name)} = "${text}"`;
  }
}

/** Multi-line text: [lines, index of the first line holding text]. */
function multiLine(format: Format, name: string, text: string): [string[], number] {
  const t = text.split("\n");
  const last = t.length - 1;
  const wrapped = (open: string, close: string) => [`${open}${t[0]}`, ...t.slice(1, last), `${t[last]}${close}`];
  switch (format) {
    case "sh":
      return [["cat > /tmp/deploy_key <<'EOF'", ...t, "EOF"], 1];
    case "yaml":
      return [[`  ${snake(name)}: |`, ...t.map((l) => `    ${l}`)], 1];
    case "ts":
    case "js":
      return [wrapped(`const ${camel(name)} = \``, "`;"), 0];
    case "go":
      return [wrapped(`const ${camel(name)} = \``, "`"), 0];
    case "py":
      return [wrapped(`${name} = """`, '"""'), 0];
    case "java":
      return [[`    private static final String ${name} = """`, ...t, '        """;'], 1];
    case "tf":
      return [[`  ${snake(name)} = <<-EOT`, ...t, "  EOT"], 1];
    case "md":
      return [["```", ...t, "```"], 1];
    case "toml":
      return [[`${snake(name)} = """`, ...t, '"""'], 1];
    case "ipynb":
      return [t, 0];
    default:
      return [[singleLine(dummyRng, format, name, escapeNewlines(text))], 0];
  }
}

// singleLine only uses the rng to vary style; multi-line fallbacks take the first style.
const dummyRng = { chance: () => false, pick: <T>(a: readonly T[]) => a[0] as T } as unknown as Rng;

/** Builds one file line by line, recording where each entry's text lands. */
export class FileBuilder {
  private readonly lines: string[] = [];

  constructor(
    private readonly rng: Rng,
    readonly format: Format,
  ) {}

  /** Appends `blocks` blocks of filler. */
  filler(blocks: number): void {
    for (let i = 0; i < blocks; i++) this.push(fillerBlock(this.rng, this.format));
  }

  /** Appends an entry and returns its 1-based line span (in the finished file). */
  add(entry: Entry): Placement {
    let lines: string[];
    let offset = 0;
    let span = 1;
    if (entry.ref) lines = [reference(this.format, entry.name)];
    else if (entry.multiline) {
      [lines, offset] = multiLine(this.format, entry.name, entry.text);
      span = this.format === "ipynb" || lines.length > 1 ? entry.text.split("\n").length : 1;
    } else lines = [singleLine(this.rng, this.format, entry.name, entry.text)];
    const start = this.prefix().length + this.lines.length + offset + 1;
    this.push(lines);
    return { line: start, endLine: start + span - 1 };
  }

  private push(lines: string[]): void {
    if (this.format === "ipynb") for (const l of lines) this.lines.push(`    "${jsonString(l)}\\n",`);
    else this.lines.push(...lines);
  }

  private prefix(): string[] {
    switch (this.format) {
      case "json":
        return ["{"];
      case "ipynb":
        return [
          "{",
          ' "cells": [',
          "  {",
          '   "cell_type": "code",',
          '   "metadata": {},',
          '   "outputs": [],',
          '   "source": [',
        ];
      case "java":
        return ["package com.acme.billing;", "", "public class Settings {"];
      case "go":
        return ["package store", "", 'import (\n\t"context"\n\t"fmt"\n\t"os"\n)'.split("\n")].flat();
      case "yaml":
        return ["services:"];
      case "py":
        return ["import os", "import logging", "", "logger = logging.getLogger(__name__)", ""];
      case "dockerfile":
        return ["FROM node:20-bookworm-slim", "WORKDIR /app"];
      case "sh":
        return ["#!/usr/bin/env bash", "set -euo pipefail", ""];
      default:
        return [];
    }
  }

  private suffix(): string[] {
    switch (this.format) {
      case "json":
        return ['  "version": 1', "}"];
      case "ipynb":
        return [
          '    "print(\\"done\\")"',
          "   ]",
          "  }",
          " ],",
          ' "metadata": {},',
          ' "nbformat": 4,',
          ' "nbformat_minor": 5',
          "}",
        ];
      case "java":
        return ["}"];
      case "dockerfile":
        return ['CMD ["node", "dist/server.js"]'];
      default:
        return [];
    }
  }

  /** The finished file text. */
  finish(): string {
    return [...this.prefix(), ...this.lines, ...this.suffix(), ""].join("\n");
  }
}
