import assert from "node:assert/strict";
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
  // inline table keys: the nearest indexed key
  assert.deepEqual(at(["rules", 1, "examples", "a", "b", "c"]), { line: 20, column: 1 });
  // a table found by its id
  assert.deepEqual(at(["rules", { id: "two" }, "regex"]), { line: 13, column: 1 });
  assert.deepEqual(at(["rules", { id: "one" }, "regex"]), { line: 10, column: 1 });
  assert.equal(at(["rules", { id: "three" }]), undefined);
  assert.equal(at(["nothing"]), undefined);
});
