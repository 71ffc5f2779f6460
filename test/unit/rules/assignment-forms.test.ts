/**
 * The shared assignment forms (src/rules/assignment-forms.ts): one secret, written in each form in
 * the file types where that form occurs, is found by a built-in context rule (datadog-api-key) and by
 * a rule written from context + value alone; a near miss of each form is not.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TAIL_FORMS } from "../../../src/rules/assignment-forms.js";
import { builtinEngine, detect } from "../../helpers/engine.js";
import { FORM_KEY, itFindsEveryForm } from "../../helpers/forms.js";

const K = FORM_KEY;

/** [form, path, text]: the secret K assigned to a Datadog API key name. */
const POSITIVES: [string, string, string][] = [
  ["operator =", ".env", `DATADOG_API_KEY=${K}`],
  ["operator =", "config.ini", `[datadog]\napi_key = ${K}`],
  ["operator =", "config.toml", `datadog_api_key = "${K}"`],
  ["operator :", "values.yaml", `datadog:\n  apiKey: "${K}"`],
  ["operator :", "config.json", `{ "datadogApiKey": "${K}" }`],
  ["operator :=", "main.go", `datadogAPIKey := "${K}"`],
  ["operator :=", "Makefile", `DATADOG_API_KEY := ${K}`],
  ["operator :=, a blank inside the quotes", "main.go", `datadogAPIKey := " ${K} "`],
  ["operator =>", "config.php", `'datadog_api_key' => '${K}',`],
  ["operator =>", "config.rb", `:datadog_api_key => "${K}"`],
  ["operator ?=", "Makefile", `DATADOG_API_KEY ?= ${K}`],
  ["operator ::=", "Makefile", `DATADOG_API_KEY ::= ${K}`],
  ["operator :::=", "Makefile", `DATADOG_API_KEY :::= ${K}`],
  ["operator +=", "Makefile", `DATADOG_API_KEY += ${K}`],
  ["operator .=", "setup.php", `$datadog_api_key .= '${K}';`],
  ["operator <-", "setup.R", `datadog_api_key <- "${K}"`],
  ["subscript", "settings.py", `os.environ["DD_API_KEY"] = "${K}"`],
  ["subscript, blanks inside the brackets", "settings.py", `os.environ[ "DD_API_KEY" ] = "${K}"`],
  ["subscript in a notebook cell", "explore.ipynb", `"source": ["os.environ[\\"DD_API_KEY\\"] = \\"${K}\\"\\n"]`],
  ["dict literal", "settings.py", `options = {"datadog_api_key": "${K}"}`],
  ["hash literal", "config.rb", `{ datadog_api_key: "${K}" }`],
  ["typed (Go)", "main.go", `var datadogAPIKey string = "${K}"`],
  ["typed (TypeScript)", "config.ts", `const datadogApiKey: string = "${K}";`],
  [
    "terraform default",
    "variables.tf",
    `variable "datadog_api_key" {\n  type      = string\n  sensitive = true\n  default   = "${K}"\n}`,
  ],
  ["value block (Terraform)", "main.tf", `env {\n  name  = "DD_API_KEY"\n  value = "${K}"\n}`],
  ["value block (Kubernetes)", "deployment.yaml", `env:\n  - name: DD_API_KEY\n    value: "${K}"`],
  ["value block (ECS JSON)", "task.json", `{"name": "DD_API_KEY", "value": "${K}"}`],
  ["xml attribute", "App.config", `<add key="DatadogApiKey" value="${K}" />`],
  ["xml property", "pom.xml", `<property name="datadog.api.key" value="${K}"/>`],
  [
    "value block (Android manifest)",
    "AndroidManifest.xml",
    `<meta-data android:name="com.datadoghq.DD_API_KEY" android:value="${K}"/>`,
  ],
  ["xml element", "pom.xml", `<datadogApiKey>${K}</datadogApiKey>`],
  ["xml element, own line", "settings.xml", `<datadogApiKey>\n    ${K}\n</datadogApiKey>`],
  ["continued (Java)", "Config.java", `public static final String DATADOG_API_KEY\n            = "${K}";`],
  ["brace-init (C++)", "config.cpp", `static const std::string DatadogApiKey{"${K}"};`],
  ["brace-init (C++), own line", "config.cpp", `static const std::string DatadogApiKey{\n    "${K}"};`],
  ["fallback ||", "config.js", `export const key =\n  process.env.DD_API_KEY ||\n  "${K}";`],
  ["fallback ??", "config.ts", `const key = process.env.DD_API_KEY ?? "${K}";`],
  ["fallback or", "settings.py", `key = os.environ.get("DD_API_KEY") or "${K}"`],
  ["fallback :-", "run.sh", `curl -H "x: \${DD_API_KEY:-${K}}" https://api.datadoghq.com/api/v1/validate`],
  ["getter (Go)", "client.go", `func getDatadogAPIKey() string { return "${K}" }`],
  ["getter (Java)", "Config.java", `public String getDatadogApiKey() {\n        return "${K}";\n    }`],
  ["getter (Python)", "settings.py", `def datadog_api_key() -> str:\n    return "${K}"`],
  ["authorization scheme", "values.yaml", `datadog_api_key: "Bearer ${K}"`],
  ["comparison", "check.py", `if datadog_api_key == "${K}":`],
  ["comparison reversed", "check.js", `if ("${K}" === config.datadogApiKey) {`],
  ["argument", "setup.js", `config.set("datadog_api_key", "${K}");`],
  ["argument", "app.py", `DatadogApiKey("${K}")`],
  ["argument (constructor)", "Config.java", `settings.add(new Setting("DD_API_KEY", "${K}"));`],
  ["argument (named)", "app.py", `initialize(datadog_api_key="${K}", site="datadoghq.eu")`],
  ["cli flag", "deploy.sh", `agent run --datadog-api-key ${K}`],
  ["cli flag =", "deploy.sh", `agent run --datadog-api-key=${K}`],
  ["cli curl -H", "deploy.sh", `curl -X POST -H "DD-API-KEY: ${K}" https://api.datadoghq.com/api/v1/series`],
  ["export", "deploy.sh", `export DD_API_KEY=${K}`],
  ["setx", "setup.bat", `setx DD_API_KEY ${K}`],
  ["ENV", "Dockerfile", `ENV DD_API_KEY ${K}`],
  ["ENV =", "Dockerfile", `ENV DD_API_KEY=${K}`],
  ["PowerShell", "setup.ps1", `$env:DD_API_KEY = "${K}"`],
  ["fish set -x", "config.fish", `set -x DD_API_KEY ${K}`],
  ["\\n escape", "compose.json", `{"env": "FOO=1\\nDD_API_KEY=${K}\\nBAR=2"}`],
  ["\\t escape", "log.txt", `"DD_API_KEY:\\t${K}"`],
  ["%XX escape", "access.log", `GET /cb?next=%2Fsetup%3Fdd_api_key%3D${K}%26x%3D1`],
  ["%XX escape (JSON in a URL)", "access.log", `GET /?state=%7B%22datadogApiKey%22%3A%22${K}%22%7D`],
];

/** [form, text]: the same secret next to the name, but not assigned by any form. */
const NEGATIVES: [string, string][] = [
  ["prose", `the datadog api key ${K} is rotated weekly`],
  ["operator, other name", `DD_CACHE_KEY=${K}`],
  ["typed, not a string", `var datadogAPIKey int = ${K}`],
  ["terraform, not the default", `variable "datadog_api_key" {\n  description = "${K}"\n}`],
  ["value block, not a value", `- name: DD_API_KEY\n  description: ${K}`],
  ["reversed comparison, not a comparison", `"${K}" + datadog_api_key`],
  ["space, no flag or export", `datadog_api_key ${K}`],
  ["escaped backslash", `"DD_API_KEY=\\\\n${K}"x`],
  ["value too long", `DATADOG_API_KEY=${K}0`],
  ["continued, a comparison", `if (DATADOG_API_KEY\n    == ${K}) {`],
  ["continued, a blank line between", `DATADOG_API_KEY\n\n= ${K}`],
  ["brace-init, not a string", `datadogApiKey {\n  ${K}\n}`],
  ["fallback ||, not a string", `process.env.DD_API_KEY || ${K}`],
  ["fallback, another operator", `process.env.DD_API_KEY && "${K}"`],
  ["getter with parameters", `func datadogApiKey(env string) string { return "${K}" }`],
  ["getter, a statement before the literal", `getDatadogApiKey() {\n  log("x");\n  return "${K}";\n}`],
  ["getter called, not defined", `send(getDatadogApiKey(), "${K}")`],
  ["authorization scheme, another word", `datadog_api_key: "Basic ${K}"`],
  ["operator, two blanks inside the quotes", `datadog_api_key: "  ${K}"`],
  ["operator, a word before the value inside the quotes", `datadog_api_key: "old ${K}"`],
];

describe("shared assignment forms", () => {
  itFindsEveryForm(POSITIVES, NEGATIVES, "the same secret is found in every form, in the file types where it occurs");

  it("every named form has a positive example above", () => {
    const covered = new Set(POSITIVES.map(([form]) => form.split(/[ ,(]/)[0]!.toLowerCase()));
    const names: Record<string, string> = {
      operator: "operator",
      comparison: "comparison",
      argument: "argument",
      typed: "typed",
      "value-block": "value",
      "terraform-default": "terraform",
      continued: "continued",
      "brace-init": "brace-init",
      fallback: "fallback",
      "space-separated": "cli",
      getter: "getter",
    };
    for (const form of TAIL_FORMS) assert.ok(covered.has(names[form.name] ?? form.name), form.name);
  });

  // The CLI forms whose name is the tool's, not the provider's: `-p V`, `curl -u`, `curl -H "Authorization: Bearer …"`.
  // They are lead-ins of the rules that know the tool (a context rule's `also`, or the CLI rules).
  it("tool-specific CLI forms are found by the rules that know the tool", () => {
    const cases: [string, string, string][] = [
      ["-p V (mysql)", "generic-cli-password", "mysqldump -u backup -p'ejxY8u5YD*jUQ-BN' shop > dump.sql"],
      ["-p V (sshpass)", "generic-cli-password", "sshpass -p 'k9Lm!2qPx7Rz^wT4' ssh ops@bastion.corp"],
      ["curl -u", "curl-user-password", "curl -u deploy:fkmjrSGaRZy9irnRPkXg https://nexus.corp.internal/app.jar"],
      [
        "curl -H Authorization: Bearer",
        "cloudflare-api-token-legacy",
        'curl https://api.cloudflare.com/client/v4/user/tokens/verify -H "Authorization: Bearer Zq7x0PLmVb1c9RtYw4Ks2JdNh8GfUa3XeTo5Mi6C"',
      ],
      [
        "curl -H Authorization: Basic",
        "http-basic-auth-header",
        'curl -H "Authorization: Basic c3ZjLXJlcG9ydGluZzpnM1c5dFhQOGJEb24yZ1hiTHdlbg==" https://reports.internal.corp/api',
      ],
    ];
    const missed = cases
      .filter(([, ruleId, text]) => !detect(builtinEngine(), text, "deploy.sh").some((f) => f.ruleId === ruleId))
      .map(([form]) => form);
    assert.deepEqual(missed, []);
  });

  it("the line and column point at the value, also behind escapes", () => {
    const [f] = detect(builtinEngine(), `x = "a\\nDD_API_KEY=${K}"`, "a.json");
    assert.equal(f?.startLine, 1);
    assert.equal(f?.startColumn, 20); // 1-based: x = "a\n is 8 characters, DD_API_KEY= 11 more
  });
});
