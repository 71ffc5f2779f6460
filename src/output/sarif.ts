import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { FILE_KINDS, type FileKind, groupIdOf, kindRank } from "../findings/file-kind.js";
import { type Finding, kindOfFinding, type Severity } from "../findings/finding.js";
import { groupBySecret } from "../findings/group.js";
import { roundEntropy } from "./json.js";
import { messagePlace, pathToUriReference, reportedPath } from "./paths.js";
import type { RenderContext, RuleInfo, VersionControl } from "./render-context.js";

/** Where SARIF consumers send people who want to know what leakstop is. */
export const LEAKSTOP_INFORMATION_URI = "https://github.com/leakstop/leakstop";
export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
/** The uriBaseId every artifact location is relative to (GitHub code scanning resolves it to the checkout). */
export const SRCROOT = "%SRCROOT%";
/** The partialFingerprints key of leakstop's own fingerprint; bump the version if fingerprints ever change. */
export const FINGERPRINT_KEY = "leakstop/v1";

type SarifLevel = "error" | "warning" | "note";
type SarifObject = Record<string, unknown>;

const LEVEL: Record<Severity, SarifLevel> = { critical: "error", high: "error", medium: "warning", low: "note" };
/** GitHub code scanning reads this as a CVSS-like score: ≥9 critical, ≥7 high, ≥4 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.0", high: "7.0", medium: "5.0", low: "3.0" };
/**
 * SARIF `rank` (0–100, higher = more relevant) by where the secret sits: a key in code or config
 * is what to fix first; in a test, docs or example it is still reported, as a note.
 */
const RANK: Record<FileKind, number> = {
  code: 95,
  config: 90,
  test: 40,
  example: 35,
  docs: 30,
  generated: 20,
  vendored: 15,
};
/** Tags every rule carries: "security" makes GitHub treat results as security alerts. */
const BASE_TAGS = ["security", "secret"];

/**
 * `--format sarif`: a SARIF 2.1.0 log with one run. Every loaded detector is a rule of tool.driver
 * (`public` ones too, at level "none");
 * a finding whose rule was not passed in gets a rule built from the finding, so ruleIndex is always valid.
 * No result message carries the match: the text is the same with and without --show-secrets.
 */
export function renderSarif(findings: readonly Finding[], ctx: RenderContext): string {
  const rules = rulesWithFindingRules(ctx.rules, findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const run: SarifObject = {
    tool: {
      driver: {
        name: "leakstop",
        version: ctx.toolVersion,
        informationUri: LEAKSTOP_INFORMATION_URI,
        rules: rules.map(reportingDescriptor),
      },
    },
    results: groupBySecret(findings).map((group) => result(group, ruleIndex.get(group[0]!.ruleId) ?? 0, ctx.root)),
    columnKind: "utf16CodeUnits",
  };
  const originalUriBaseIds = srcRootBase(ctx.root);
  if (originalUriBaseIds) run.originalUriBaseIds = originalUriBaseIds;
  if (ctx.versionControl)
    run.versionControlProvenance = [versionControlDetails(ctx.versionControl, originalUriBaseIds)];
  return `${JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] }, null, 2)}\n`;
}

/** The loaded rules (first one wins on a duplicate id) plus any rule a finding names that is not among them. */
function rulesWithFindingRules(loaded: readonly RuleInfo[], findings: readonly Finding[]): RuleInfo[] {
  const byId = new Map<string, RuleInfo>();
  for (const rule of loaded) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  for (const f of findings) {
    if (byId.has(f.ruleId)) continue;
    byId.set(f.ruleId, {
      id: f.ruleId,
      provider: f.provider,
      description: f.description,
      severity: f.severity,
      tags: f.tags,
      references: [],
    });
  }
  return [...byId.values()];
}

function reportingDescriptor(rule: RuleInfo): SarifObject {
  if (rule.public) return publicDescriptor(rule);
  const description = rule.description.trim() || `${rule.provider} secret`;
  const descriptor: SarifObject = {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: firstSentence(`${rule.provider}: ${description}`) },
    fullDescription: { text: description },
    help: helpOf(rule, description),
    defaultConfiguration: { level: LEVEL[rule.severity] ?? "error" },
    properties: {
      tags: [...new Set([...BASE_TAGS, ...rule.tags])],
      "security-severity": SECURITY_SEVERITY[rule.severity] ?? SECURITY_SEVERITY.high,
      provider: rule.provider,
    },
  };
  const helpUri = rule.references.find(isHttpUrl);
  if (helpUri) descriptor.helpUri = helpUri;
  return descriptor;
}

/**
 * A `public` rule never yields a result: it recognises a value meant to be seen, and no other rule
 * reports those bytes. It is listed so that a consumer can tell why such a value was not reported;
 * level "none" and no security-severity, so no alert or policy counts it as a secret rule.
 */
function publicDescriptor(rule: RuleInfo): SarifObject {
  const description = rule.description.trim() || `${rule.provider} public value`;
  const advice =
    "Not reported: a value meant to be public, and no other rule reports it where this rule recognises it.";
  const references = rule.references.filter(isHttpUrl);
  const descriptor: SarifObject = {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: firstSentence(`${rule.provider}: ${description}`) },
    fullDescription: { text: description },
    help: {
      text: [description, advice, ...references.map((r) => `Reference: ${r}`)].join("\n"),
      markdown: [description, "", advice, ...references.map((r) => `- <${r}>`)].join("\n"),
    },
    defaultConfiguration: { level: "none" },
    properties: { tags: [...new Set(["public", ...rule.tags])], provider: rule.provider, public: true },
  };
  if (references[0]) descriptor.helpUri = references[0];
  return descriptor;
}

/** "github-pat" → "GithubPat": SARIF's human-readable rule name. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1);
}

function helpOf(rule: RuleInfo, description: string): SarifObject {
  const advice =
    "Revoke or rotate this secret at the provider: deleting it from the code does not help once it was committed.";
  const references = rule.references.filter(isHttpUrl);
  const text = [description, advice, ...references.map((r) => `Reference: ${r}`)].join("\n");
  const markdown = [description, "", advice, ...references.map((r) => `- <${r}>`)].join("\n");
  return { text, markdown };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * One result per secret (SPEC §4): the findings that share a secretHash, whatever rule found each
 * place (as text output groups them), each place a location. The first place (the most important:
 * findings come ordered code and config first) names the result's rule; GitHub code scanning shows an
 * alert there, and the other locations stay in the log for every other consumer.
 */
function result(group: Finding[], ruleIndex: number, root: string): SarifObject {
  const f = group[0]!;
  const partialFingerprints: Record<string, string> = { [FINGERPRINT_KEY]: f.fingerprint };
  if (f.commit) partialFingerprints.commitSha = f.commit;
  const locations = uniqueLocations(group.map((place) => location(place, root, group.length > 1, f.ruleId)));
  const kind = mostImportantKind(group);
  return {
    ruleId: f.ruleId,
    ruleIndex,
    // In a test, docs, example, generated or vendored file: a note, ranked below code and config.
    level: kindRank(kind) < 2 ? (LEVEL[f.severity] ?? "error") : "note",
    rank: RANK[kind],
    message: { text: messageOf(f, locations.length) },
    locations,
    partialFingerprints,
    properties: { ...resultProperties(f), fileKind: kind, group: groupIdOf(f.secretHash) },
  };
}

/** The kind of a group's most important place (code before config before the rest, in FILE_KINDS order). */
function mostImportantKind(group: readonly Finding[]): FileKind {
  let best: FileKind = kindOfFinding(group[0]!);
  for (const f of group) {
    const kind = kindOfFinding(f);
    if (FILE_KINDS.indexOf(kind) < FILE_KINDS.indexOf(best)) best = kind;
  }
  return best;
}

/**
 * Where one finding is; with `several`, that place's kind and commit too (a group spans files and
 * commits), and its rule when another rule than the result's found it there.
 */
function location(f: Finding, root: string, several: boolean, resultRule: string): SarifObject {
  const reported = reportedPath(f.path, root);
  const artifactLocation: SarifObject = { uri: pathToUriReference(reported) };
  if (reported !== "") artifactLocation.uriBaseId = SRCROOT;
  const region = { startLine: f.startLine, startColumn: f.startColumn, endLine: f.endLine, endColumn: f.endColumn };
  const place: SarifObject = { physicalLocation: { artifactLocation, region } };
  if (several) {
    // Each place of a group says its own kind (and commit); a lone place has the result's.
    const properties: SarifObject = { fileKind: kindOfFinding(f) };
    if (f.commit) properties.commit = f.commit;
    if (f.tag !== undefined) properties.tag = f.tag;
    if (f.ruleId !== resultRule) properties.ruleId = f.ruleId;
    place.properties = properties;
  }
  return place;
}

function uniqueLocations(locations: SarifObject[]): SarifObject[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = JSON.stringify(l);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Names the provider, rule and fingerprint; never the match (it is raw under --show-secrets). */
function messageOf(f: Finding, places: number): string {
  const where = f.commit ? ` in ${messagePlace(f)}` : "";
  const more = places > 1 ? ` Found in ${places} places.` : "";
  return `${f.provider} secret found by rule ${f.ruleId}${where}. Fingerprint: ${f.fingerprint}.${more}`;
}

function resultProperties(f: Finding): SarifObject {
  const properties: SarifObject = {};
  for (const field of ["commit", "tag", "author", "email", "date", "repository"] as const) {
    if (f[field] !== undefined) properties[field] = f[field];
  }
  properties.secretHash = f.secretHash;
  properties.validated = f.validated;
  properties.entropy = roundEntropy(f.entropy);
  properties.source = f.source;
  properties.severity = f.severity;
  properties.tags = [...new Set(f.tags)];
  return properties;
}

/** The repository and commit scanned; mapped to %SRCROOT% when the root is known, so that paths tie to the commit. */
function versionControlDetails(vc: VersionControl, srcRoot: SarifObject | undefined): SarifObject {
  const details: SarifObject = { repositoryUri: vc.repositoryUri };
  if (vc.revisionId) details.revisionId = vc.revisionId;
  if (vc.branch) details.branch = vc.branch;
  if (srcRoot) details.mappedTo = { uriBaseId: SRCROOT };
  return details;
}

/** originalUriBaseIds for an absolute scan root (a SARIF base URI must end with "/"). */
function srcRootBase(root: string): SarifObject | undefined {
  if (root === "" || !isAbsolute(root)) return undefined;
  const href = pathToFileURL(root).href;
  return { [SRCROOT]: { uri: href.endsWith("/") ? href : `${href}/` } };
}
