import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "smol-toml";
import { tomlLocator } from "../../../src/rules/toml-locate.js";

const TEXT = [
  "# a config", // 1
  'disabledRules = ["a", "b"]', // 2
  "[scan]", // 3
  '  exclude = ["x",', // 4
  '    "y = 1",', // 5
  "  ]", // 6
  "threads = 2 # two", // 7
  "[[rules]]", // 8
  'id = "one"', // 9
  "regex = '''", // 10
  "key = not a key'''", // 11
  'description = """x"""', // 12
  "[[rules]]", // 13
  "id = 'two'", // 14
  '"quoted key" = 1', // 15
  "[[rules.allowlists]]", // 16
  'regexes = ["z"]', // 17
  "[rules.examples]", // 18
  "positives = []", // 19
  "a.b = { c = 1 }", // 20
  "",
].join("\n");

test("tomlLocator: keys, tables, arrays of tables, values over several lines", () => {
  parse(TEXT); // the locator reads texts that parsed
  const at = tomlLocator(TEXT);
  assert.deepEqual(at(["disabledRules"]), { line: 2, column: 1 });
  assert.deepEqual(at(["scan"]), { line: 3, column: 1 });
  assert.deepEqual(at(["scan", "exclude"]), { line: 4, column: 3 });
  assert.deepEqual(at(["scan", "threads"]), { line: 7, column: 1 });
  assert.deepEqual(at(["rules", 0]), { line: 8, column: 1 });
  assert.deepEqual(at(["rules", 0, "regex"]), { line: 10, column: 1 });
  // "key = …" inside a multi-line string is no key
  assert.equal(at(["rules", 0, "key"])?.line, 8);
  assert.deepEqual(at(["rules", 0, "description"]), { line: 12, column: 1 });
  assert.deepEqual(at(["rules", 1, "quoted key"]), { line: 15, column: 1 });
  assert.deepEqual(at(["rules", 1, "allowlists", 0, "regexes"]), { line: 17, column: 1 });
  assert.deepEqual(at(["rules", 1, "examples", "positives"]), { line: 19, column: 1 });
  assert.deepEqual(at(["rules", 1, "examples", "a", "b"]), { line: 20, column: 1 });
  // a key inside an inline table is placed at itself
  assert.deepEqual(at(["rules", 1, "examples", "a", "b", "c"]), { line: 20, column: 9 });
  // a table found by its id
  assert.deepEqual(at(["rules", { id: "two" }, "regex"]), { line: 13, column: 1 });
  assert.deepEqual(at(["rules", { id: "one" }, "regex"]), { line: 10, column: 1 });
  assert.equal(at(["rules", { id: "three" }]), undefined);
  assert.equal(at(["nothing"]), undefined);
});

const INLINE = [
  'rules = [{ id = "x", regex = "(" },', // 1
  '  { id = "y", description = "a = b # c { d", "quoted.key" = 1, keywords = [', // 2
  '    "k = 1", # a comment with = and {', // 3
  "    'lit\\'", // 4
  '  ], allowlist = { regexes = ["r1", """', // 5
  'multi = "line" { ', // 6
  '"""], stopwords = ["s"] } }]', // 7
  "disabledRules = [", // 8
  '  "one",', // 9
  '  "two" ]', // 10
  'site."a b".c = { d.e = 1 } # x = 2', // 11
  "[scan]", // 12
  'exclude = ["[not a header]"]', // 13
  "'lit key' = \"\\u00e9\"", // 14
  "[[rules2]]", // 15
  'id = "p"', // 16
  "[[rules2]]", // 17
  "id = 'q'", // 18
  'examples = { positives = ["x"], negatives = [] }', // 19
  "",
].join("\n");

test("tomlLocator: inline tables, arrays of them, dotted and quoted keys, strings holding = # { and [", () => {
  parse(INLINE);
  const at = tomlLocator(INLINE);
  assert.deepEqual(at(["rules", 0]), { line: 1, column: 10 });
  assert.deepEqual(at(["rules", 0, "regex"]), { line: 1, column: 22 });
  assert.deepEqual(at(["rules", { id: "x" }, "regex"]), { line: 1, column: 22 });
  assert.deepEqual(at(["rules", { id: "y" }]), { line: 2, column: 3 });
  assert.deepEqual(at(["rules", 1, "description"]), { line: 2, column: 15 });
  assert.deepEqual(at(["rules", 1, "quoted.key"]), { line: 2, column: 46 });
  assert.deepEqual(at(["rules", 1, "keywords"]), { line: 2, column: 64 });
  assert.deepEqual(at(["rules", 1, "keywords", 1]), { line: 4, column: 5 });
  assert.deepEqual(at(["rules", 1, "allowlist", "regexes", 1]), { line: 5, column: 37 });
  assert.deepEqual(at(["rules", 1, "allowlist", "stopwords"]), { line: 7, column: 7 });
  // "multi = …" inside the multi-line string is no key
  assert.deepEqual(at(["rules", 1, "allowlist", "multi"]), { line: 5, column: 6 });
  assert.deepEqual(at(["disabledRules", 1]), { line: 10, column: 3 });
  assert.deepEqual(at(["site", "a b", "c", "d", "e"]), { line: 11, column: 18 });
  assert.deepEqual(at(["site", "a b", "c", "x"]), { line: 11, column: 1 });
  assert.deepEqual(at(["scan", "exclude", 0]), { line: 13, column: 12 });
  assert.deepEqual(at(["scan", "lit key"]), { line: 14, column: 1 });
  assert.deepEqual(at(["rules2", { id: "q" }, "examples", "negatives"]), { line: 19, column: 33 });
  assert.deepEqual(at(["rules2", { id: "p" }, "examples"]), { line: 15, column: 1 });
});

test("tomlLocator: every built-in rule's id and regex are placed where they are written", () => {
  const dir = join(process.cwd(), "detectors");
  let checked = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".toml"))) {
    const text = readFileSync(join(dir, name), "utf8");
    const data = parse(text) as { rules?: { id: string; regex?: string }[] };
    const at = tomlLocator(text);
    const lines = text.split("\n");
    for (const rule of data.rules ?? []) {
      const id = at(["rules", { id: rule.id }, "id"]);
      assert.ok(id, `${name}: ${rule.id}`);
      assert.match(lines[id.line - 1]!.slice(id.column - 1), /^id\s*=/, `${name}: ${rule.id}`);
      if (rule.regex === undefined) continue;
      const re = at(["rules", { id: rule.id }, "regex"])!;
      assert.match(lines[re.line - 1]!.slice(re.column - 1), /^regex\s*=/, `${name}: ${rule.id}`);
      checked++;
    }
  }
  assert.ok(checked > 100, `${checked} rules checked`);
});
