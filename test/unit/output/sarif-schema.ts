import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvDraft04 from "ajv-draft-04";
import addFormatsModule from "ajv-formats";

/**
 * The official SARIF 2.1.0 JSON schema (2.1.0-rtm.5, JSON Schema draft-04) as shipped inside
 * the @microsoft/jest-sarif package, compiled with ajv. Returns a validator and its last errors.
 */
export function compileSarifSchema(): (log: unknown) => { valid: boolean; errors: string[] } {
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  // CommonJS interop under NodeNext: each package's class or plugin sits on `default`.
  const Ajv = AjvDraft04.default;
  const addFormats = addFormatsModule.default;
  // The schema's language pattern is not valid under the `u` flag; strict mode rejects its draft-04 quirks.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (log) => {
    const valid = validate(log) as boolean;
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    return { valid, errors };
  };
}
