/**
 * A Kubernetes `Secret` manifest keeps its values base64-encoded under `data:` (not encrypted:
 * https://kubernetes.io/docs/concepts/configuration/secret/). These are the values of such blocks,
 * whatever their length, so the decoded view can show each as "<key>: <decoded value>".
 */
import { type EncodedValue, nameStartOf } from "./encoded-value.js";

/** A YAML document of kind Secret (also `kind: "Secret"`); JSON manifests: `"kind": "Secret"`. */
const SECRET_KIND = /^kind:[ \t]*["']?Secret["']?[ \t]*\r?$|"kind"[ \t]*:[ \t]*"Secret"/m;
/** `data:` on a line of its own; `binaryData:` and `stringData:` are other things. */
const DATA_BLOCK = /^([ \t]*)data:[ \t]*\r?$/gm;
/** One entry of the block: `  key: base64` (quoted or not). */
const ENTRY = /^([ \t]+)[\w.-]+:[ \t]*["']?([A-Za-z0-9+/]*={0,2})["']?[ \t]*\r?$/;
/** `"data": { "key": "base64", … }` in a JSON manifest. */
const JSON_DATA = /"data"[ \t]*:[ \t]*\{([^{}]*)\}/g;
const JSON_ENTRY = /"[\w.-]+"[ \t]*:[ \t]*"([A-Za-z0-9+/]*={0,2})"/g;

/** The base64 values of every `data:` block in a text that holds a Secret manifest. */
export function kubernetesSecretValues(text: string): EncodedValue[] {
  if (!SECRET_KIND.test(text)) return [];
  return [...yamlValues(text), ...jsonValues(text)];
}

function yamlValues(text: string): EncodedValue[] {
  const out: EncodedValue[] = [];
  for (const block of text.matchAll(DATA_BLOCK)) {
    const indent = block[1]!.length;
    let at = block.index + block[0].length + 1;
    while (at < text.length) {
      const nl = text.indexOf("\n", at);
      const lineEnd = nl === -1 ? text.length : nl;
      const entry = ENTRY.exec(text.slice(at, lineEnd));
      if (!entry || entry[1]!.length <= indent) break;
      const value = entry[2]!;
      if (value.length >= 8) {
        const start = at + entry[0].indexOf(value, entry[1]!.length);
        out.push({ start, end: start + value.length, nameStart: nameStartOf(text, start) });
      }
      at = lineEnd + 1;
    }
  }
  return out;
}

function jsonValues(text: string): EncodedValue[] {
  const out: EncodedValue[] = [];
  for (const block of text.matchAll(JSON_DATA)) {
    const bodyStart = block.index + block[0].indexOf("{") + 1;
    for (const entry of block[1]!.matchAll(JSON_ENTRY)) {
      const value = entry[1]!;
      if (value.length < 8) continue;
      const start = bodyStart + entry.index + entry[0].lastIndexOf(value);
      out.push({ start, end: start + value.length, nameStart: bodyStart + entry.index });
    }
  }
  return out;
}
