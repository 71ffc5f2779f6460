import type { ScanFlags } from "../config/scan-config.js";

/** The parsed flags that `scan` and `org-scan` share: report, rules and verbosity. */
export interface SharedScanValues {
  format?: string;
  output?: string;
  config?: string;
  baseline?: string;
  "write-baseline"?: string;
  "show-secrets"?: boolean;
  threads?: string;
  "max-file-size"?: string;
  quiet?: boolean;
  verbose?: boolean;
  "no-color"?: boolean;
  "min-kind"?: string;
}

/** Maps the shared flags onto resolveScanConfig's input, so both commands read them the same way. */
export function sharedScanFlags(values: SharedScanValues): ScanFlags {
  return {
    format: values.format,
    output: values.output,
    config: values.config,
    baseline: values.baseline,
    writeBaseline: values["write-baseline"],
    showSecrets: values["show-secrets"],
    threads: values.threads,
    maxFileSize: values["max-file-size"],
    quiet: values.quiet,
    verbose: values.verbose,
    noColor: values["no-color"],
    minKind: values["min-kind"],
  };
}
