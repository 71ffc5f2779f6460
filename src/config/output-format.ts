/** The output formats `leakstop scan --format` accepts. */
export const OUTPUT_FORMATS = ["text", "json", "jsonl", "sarif", "github"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** True when `value` names an output format. */
export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}
