/**
 * The shared assignment forms: every way code and config give a named value, written once. A rule
 * with `context` (the names, a regex) and `value` (the secret's shape) is found in each of these
 * forms; no rule spells its own "name = value" prelude. Names and forms match case-insensitively;
 * the value keeps the rule's own case rules. Each form has positive and negative examples in
 * test/unit/rules/assignment-forms.test.ts.
 *
 * The escapes `\t`, `\n`, `\r`, `\"` and `%XX` inside strings are not forms: the engine reads every
 * text through one unescape view (detection/unescape-view.ts), so `KEY=abc\nTOKEN=…` reads as two lines.
 */

/** One named piece of the shared definition, with what it accepts. */
export interface AssignmentForm {
  name: string;
  /** What the form reads (for docs and `rules forms`). */
  shape: string;
  /** Regex source between the end of the name and the value's opening quote. */
  source: string;
  /** The source for a value of any shape (the entropy catch-all's), when it must be stricter. */
  anyValueSource?: string;
}

/**
 * A key's closing quote or a subscript's bracket: `"KEY": …`, `env["KEY"] = …`, `[:key] => …`; a blank may stand
 * before the bracket (`env[ "KEY" ] = …`, and a notebook's `os.environ[\"KEY\"]` as the escaped-quote view reads it).
 */
const KEY_CLOSE = `(?:["'\`]?(?:[ \\t]?\\]){0,2})`;

/** Blanks after an operator: spaces, and at most one line break (the value on its own line). */
const GAP = `[ \\t]{0,5}(?:\\r?\\n[ \\t]{0,20})?`;

/** The forms that follow the name: operators, typed declarations, value blocks, Terraform defaults. */
export const TAIL_FORMS: readonly AssignmentForm[] = [
  {
    name: "operator",
    shape:
      "NAME = V, NAME: V, NAME := V, NAME => V, NAME ?= V, NAME ::= V, NAME :::= V, NAME += V, NAME .= V, NAME <- V, YAML/JSON/TOML/INI keys, <NAME>V</NAME>",
    source: `${KEY_CLOSE}[ \\t]{0,16}(?::::=|::=|:=|=>|\\?=|\\+=|\\.=|<-|=|:|>)${GAP}`,
  },
  {
    name: "continued",
    shape: 'NAME\\n    = "V" (Java, C#, Kotlin: a long declaration broken before its "=")',
    // Only "=" starts a continuation line: a line that starts with ":" is no declaration.
    source: `${KEY_CLOSE}[ \\t]{0,5}\\r?\\n[ \\t]{0,40}=${GAP}`,
  },
  {
    name: "brace-init",
    shape: 'NAME{"V"}, NAME{\\n    "V"} (C++ brace initialisation, Go composite literals); a string only',
    source: `${KEY_CLOSE}[ \\t]{0,3}\\{${GAP}["'\`]`,
  },
  {
    name: "fallback",
    shape:
      'process.env.NAME || "V", NAME ?? "V" (JavaScript), os.getenv("NAME") or "V" (Python): a string only; NAME:-V in a shell parameter expansion',
    source: `${KEY_CLOSE}\\)?[ \\t]{0,5}(?:(?:\\|\\||\\?\\?|or\\b)${GAP}["'\`]|:-)`,
  },
  {
    name: "comparison",
    shape: 'if NAME == "V", NAME === "V", NAME != "V"',
    source: `${KEY_CLOSE}[ \\t]{0,5}(?:===?|!==?)[ \\t]{0,5}`,
  },
  {
    name: "argument",
    shape: 'f("NAME", "V"), NAME("V"), new Client(NAME, "V"), setenv NAME, "V"',
    source: `${KEY_CLOSE}[ \\t]{0,5}(?:,|\\()[ \\t]{0,5}`,
    // For a value of any shape, a string only: there the next parameter or element (`f(token, limit=390)`,
    // `"apikey", password: "V"`) would read as the value, and hide the real one that follows.
    anyValueSource: `${KEY_CLOSE}[ \\t]{0,5}(?:,|\\()[ \\t]{0,5}["'\`]`,
  },
  {
    name: "getter",
    shape:
      'func getNAME() string { return "V" } (Go), String getNAME() { return "V"; } (Java, C#), def get_NAME():\\n    return "V" (Python): a string only',
    // An empty parameter list, a return type, then the body's first statement returns a literal.
    source: `${KEY_CLOSE}[ \\t]{0,3}\\([ \\t]*\\)[ \\t]{0,3}(?:(?:->|:)?[ \\t]{0,3}[\\w.<>\\[\\]]{1,30}[ \\t]{0,3})?(?:\\{|:)\\s{0,30}return[ \\t]+["'\`]`,
  },
  {
    name: "typed",
    shape: 'var NAME string = "V" (Go), NAME: string = "V" (TypeScript, Kotlin), const NAME: &str = "V"',
    source: `${KEY_CLOSE}[ \\t]{0,3}:?[ \\t]{0,3}&?(?:'static[ \\t]+)?(?:string|str)\\b[ \\t]{0,3}:?=${GAP}`,
  },
  {
    name: "value-block",
    shape:
      'name = "NAME" / value = "V" (Terraform, Kubernetes env, ECS), <property name="NAME" value="V"/>, <add key="NAME" value="V"/>, <meta-data android:name="NAME" android:value="V"/>',
    source: `${KEY_CLOSE}[ \\t]{0,5},?\\s{0,20}["']?(?:android:)?value["']?[ \\t]{0,3}[:=]${GAP}`,
  },
  {
    name: "terraform-default",
    shape: 'variable "NAME" { type = string; default = "V" }',
    source: `${KEY_CLOSE}\\s{0,5}\\{(?:\\s{0,5}[\\w-]{1,20}[ \\t]{0,12}=[^\\r\\n{}]*\\r?\\n){0,4}?\\s{0,5}default[ \\t]{0,12}=${GAP}`,
  },
  {
    name: "space-separated",
    shape: "setx NAME V, ENV NAME V (Dockerfile), --NAME V (CLI flag), -NAME V",
    // Only after setx/ENV or a flag's dashes (see LEAD_FORMS): plain prose "NAME V" is not an assignment.
    source: `${KEY_CLOSE}[ \\t]{1,5}`,
  },
];

/** What may stand right before the name in the space-separated form: `setx`, `ENV`, a flag's dashes. */
export const SPACE_LEAD = `(?:\\b(?:setx|env|set[ \\t]+-[a-z]{1,3})[ \\t]+|(?:^|[ \\t"'=])--?)`;

/** The reversed comparison: the value first (`"V" == NAME`, `'V' === config.NAME`). */
export const REVERSED_COMPARISON = `["'\`]?[ \\t]{0,5}(?:===?|!==?)[ \\t]{0,5}(?:[\\w$]{1,30}(?:\\.|\\[["']?|->)){0,3}`;

/** What may stand right before a value compared first: a quote, a blank, a bracket (not a value character). */
export const REVERSED_LEAD = `(?:^|[^0-9A-Za-z_+/=.-])`;

/**
 * The same before a value of any shape (the entropy catch-all): its opening quote. Unquoted, every word of
 * a text would start a value that may be compared later, which costs the search more than the rest of the
 * rule (git/git: ~3x the rule's time) and finds no literal that code compares.
 */
export const REVERSED_LEAD_ANY_VALUE = `["'\`]`;

/**
 * Named pieces a context may use inside its names (written `{section}`, `{call}`):
 * - section: the provider names a section and the key sits on the same line or one of the next
 *   (`algolia:\n  admin_key: …`, `[algolia]\nadmin_key = …`, `"algolia": {\n "adminKey": …`,
 *   `algolia = { adminKey = …`); lines between them are indented (inside the section);
 * - call: the provider names a constructor or function and the key is one of its named arguments
 *   (`new Algolia({ adminKey: … })`, `algolia.Client(app_id, api_key=…)`).
 */
export const CONTEXT_PIECES: Readonly<Record<string, string>> = {
  section: `(?:["'\\]]{0,3}[ \\t]{0,5}[:=]?[ \\t]{0,3}\\(?\\{?[ \\t]*(?:(?:\\r?\\n[ \\t]{1,12}[^\\r\\n]*){0,5}?\\r?\\n[ \\t]{0,12})?["']?)`,
  call: `(?:[\\w.]{0,20}\\(\\{?[^\\r\\n]{0,150}?[,{(][ \\t]*["']?)`,
};
