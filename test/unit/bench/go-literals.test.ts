/**
 * The peer-case extractor reads Go test tables without running Go: what it can evaluate must be
 * exactly Go's value, and what it cannot must be skipped (OPAQUE), never guessed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyedLiterals, OPAQUE, readNames, tokenize } from "../../../bench/peers/go-literals.js";

const SRC = `package demo

const keyword = "demo"

var (
	valid   = "abc" + "DEF123"
	invalid = \`raw\\nstays\`
	later   = fmt.Sprintf("%s-%d %q %%", valid, 7, "q")
)

func TestDemo_Pattern(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{
			name:  "valid",
			input: fmt.Sprintf("%s token = '%s'\\n", keyword, valid),
			want:  []string{valid},
		},
		{name: "invalid", input: invalid, want: nil},
		{name: "repeat", input: strings.Repeat("ab", 3), want: []string{}},
		{name: "unknown call", input: makeInput(valid), want: nil}, // not evaluable
	}
	_ = tests
}
`;

describe("go-literals (peer test cases read from Go source)", () => {
  const toks = tokenize(SRC);
  const names = readNames(toks);
  it("evaluates constants, concatenation, raw strings and fmt.Sprintf like Go", () => {
    assert.equal(names.get("keyword"), "demo");
    assert.equal(names.get("valid"), "abcDEF123");
    assert.equal(names.get("invalid"), "raw\\nstays");
    assert.equal(names.get("later"), 'abcDEF123-7 "q" %');
  });
  it("reads each {name, input, want} row; an expression it cannot evaluate stays OPAQUE", () => {
    const rows = keyedLiterals(toks, names, ["input", "want"]).map((r) => Object.fromEntries(r.fields));
    assert.deepEqual(rows.slice(0, 3), [
      { name: "valid", input: "demo token = 'abcDEF123'\n", want: ["abcDEF123"] },
      { name: "invalid", input: "raw\\nstays", want: null },
      { name: "repeat", input: "ababab", want: [] },
    ]);
    assert.equal(rows[3]!.input, OPAQUE);
  });
});
