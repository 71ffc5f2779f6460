/**
 * Turns ajv's schema errors into one-line messages that name the field, such as
 * `body.overlapSeconds must be an integer` or `body.owner.id is required`.
 * Only schema facts go into a message, never the submitted value (it may be a key).
 */
import type { FastifySchemaValidationError } from "fastify";

type SchemaError = Pick<FastifySchemaValidationError, "keyword" | "instancePath" | "params" | "message">;

const PART_NAMES: Record<string, string> = { querystring: "query", params: "path", body: "body", headers: "header" };

/** `body` + `/owner/id` → `body.owner.id`; array indexes become `[0]`. */
export function fieldName(part: string, instancePath: string, child?: string): string {
  let name = PART_NAMES[part] ?? part;
  const segments = instancePath.split("/").filter((s) => s !== "");
  if (child !== undefined) segments.push(child);
  for (const raw of segments) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    name += /^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`;
  }
  return name;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The message for the first schema error; names the field and what was expected. */
export function describeSchemaError(error: SchemaError, part: string): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${fieldName(part, error.instancePath, String(p.missingProperty))} is required`;
    case "additionalProperties":
      return `${fieldName(part, error.instancePath, String(p.additionalProperty))} is not a known field`;
    case "type":
      return `${fieldName(part, error.instancePath)} must be ${article(String(p.type).replace(/,/g, " or "))}`;
    case "format":
      if (p.format === "cidr") {
        return `${fieldName(part, error.instancePath)} must be an IPv4 or IPv6 network, such as 10.0.0.0/8 or 2001:db8::/32`;
      }
      return `${fieldName(part, error.instancePath)} ${error.message ?? "is not valid"}`;
    case "enum":
      return `${fieldName(part, error.instancePath)} must be one of: ${(p.allowedValues as unknown[]).join(", ")}`;
    default:
      return `${fieldName(part, error.instancePath)} ${error.message ?? "is not valid"}`;
  }
}

/** A fastify `schemaErrorFormatter`: one Error whose message names the first bad field. */
export function formatSchemaErrors(errors: SchemaError[], part: string): Error {
  const first = errors[0];
  return new Error(first ? describeSchemaError(first, part) : `${PART_NAMES[part] ?? part} is not valid`);
}
