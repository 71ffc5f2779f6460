import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isInsideString,
  isPassphrase,
  openQuote,
  unsetterName,
} from "../../../../src/rules/validators/literal-context.js";

describe("literal context: setters, strings, passphrases", () => {
  it("reads a setter's name without its set, only when it is called with a string", () => {
    assert.equal(unsetterName("user.setApiKey", 'user.setApiKey("V"'), "user.ApiKey");
    assert.equal(unsetterName("set_secret", "set_secret('V'"), "secret");
    assert.equal(unsetterName("setPassword", "setPassword(pw)"), "setPassword");
    assert.equal(unsetterName("settingsPassword", 'settingsPassword("V"'), "settingsPassword");
    assert.equal(unsetterName("resetPassword", 'resetPassword("V"'), "resetPassword");
  });

  it("knows the string literal open at the end of a line's start", () => {
    assert.equal(openQuote('const a = "host=db '), '"');
    assert.equal(openQuote("x = f'token: "), "'");
    assert.equal(openQuote('x = "a\\" b '), '"'); // an escaped quote closes nothing
    assert.equal(openQuote('f("a", "b") + '), undefined);
    assert.equal(openQuote("// don't log the "), undefined); // a comment, and an apostrophe in a word
    assert.equal(openQuote("x = it's the "), undefined);
    assert.equal(openQuote('# "quoted" and "open '), undefined); // a comment
    assert.equal(openQuote('s = """a '), '"');
  });

  it("takes NAME=V or NAME: V inside an open string, ending at the quote, a blank, ; or ,", () => {
    const S = "Xk9vQ2mPz7LwR4tY8nB3cF6h";
    assert.equal(
      isInsideString(S, `password=${S};`, () => 'cs = "Server=db;'),
      true,
    );
    assert.equal(
      isInsideString(S, `password: ${S}"`, () => "cfg = "),
      false,
    ); // the string is not open before the name
    assert.equal(
      isInsideString(S, `password: ${S}"`, () => 'cfg = "'),
      true,
    );
    assert.equal(
      isInsideString(S, `password=${S} `, () => 'dsn = "host=db '),
      true,
    );
    assert.equal(
      isInsideString(`${S}&user=`, `token=${S}&user="`, () => 'u = "/v1?'),
      false,
    ); // a query's front
    assert.equal(
      isInsideString(S, `password(${S})`, () => 'x = "'),
      false,
    ); // no = or :
    assert.equal(
      isInsideString(S, `password=${S}.`, () => 'x = "'),
      false,
    ); // the value goes on
    // Code, not text: a colon with no blank after it, and a minified line too long to pair its quotes.
    assert.equal(
      isInsideString("!this.unsafe", "hideSecrets:!this.unsafe,", () => 'x = "'),
      false,
    );
    assert.equal(
      isInsideString(S, `password=${S};`, () => `${"x".repeat(2000)} "`),
      false,
    );
  });

  it("takes four or more distinct drawn words under a password's name as a passphrase", () => {
    assert.equal(isPassphrase("password", "correct-horse-battery-staple"), true);
    assert.equal(isPassphrase("DB_PASSPHRASE", "Lantern-Orbit-Cactus-Mural7"), true);
    assert.equal(isPassphrase("api_token", "correct-horse-battery-staple"), false); // a token is drawn characters
    assert.equal(isPassphrase("password", "gravel-outshine-pelican"), false); // three words: as often a slug
    assert.equal(isPassphrase("password", "change-me-please-now"), false);
    assert.equal(isPassphrase("password", "see-the-team-vault"), false);
    assert.equal(isPassphrase("password", "tundra-tundra-tundra-tundra"), false);
    assert.equal(isPassphrase("password", "correct_horse_battery_staple"), false);
  });
});
