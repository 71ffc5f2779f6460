/**
 * Where a value stands in code, for the generic detector (generic-secret.ts): a literal handed to a setter
 * (`setPassword("V")`), a `name: V` or `name=V` written inside a string literal (a connection string, a
 * config or log text embedded in code), and a passphrase of drawn words (`correct-horse-battery-staple`).
 */

/**
 * A setter called with a string literal: `setPassword("V")`, `user.setApiKey('V')`, `client.set_secret("V")`.
 * The name's own `set` word says the call stores what follows, as an assignment does; without the literal
 * (`setPasswordVisible(true)`, `setPassword(password)`) the shared forms match nothing in code.
 */
const SETTER = /(?:^|[.>:])set(?:_|(?=[A-Z]))/;

/** The name without its setter's `set` (`user.setApiKey` → `user.ApiKey`) when the match calls it with a string. */
export function unsetterName(name: string, match: string): string {
  const at = match.indexOf(name);
  if (at < 0 || !SETTER.test(name) || !/^\(["'`]/.test(match.slice(at + name.length))) return name;
  return name.replace(SETTER, (whole) => (/^[.>:]/.test(whole) ? whole[0]! : ""));
}

/** A Python string prefix before a quote (`f'…'`, `rb"…"`), after no other word character. */
const STRING_PREFIX = /(?:^|[^\w])[rRbBuUfF]{1,2}$/;

/**
 * The quote of the string literal still open at the end of `text` (one line of code up to a point), or
 * undefined outside any: quotes open and close strings, a backslash escapes the next character inside one,
 * an apostrophe inside a word opens none (`don't`), and a `//` or `#` comment ends the search (a comment
 * is prose, not a literal).
 */
export function openQuote(text: string): string | undefined {
  let open: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (open !== undefined) {
      if (c === "\\") i++;
      else if (c === open) open = undefined;
      continue;
    }
    if (c === '"' || c === "`") open = c;
    else if (c === "'") {
      if (!/\w/.test(text[i - 1] ?? "") || STRING_PREFIX.test(text.slice(Math.max(0, i - 3), i))) open = c;
    } else if ((c === "/" && text[i + 1] === "/") || (c === "#" && /^\s?$/.test(text[i - 1] ?? ""))) return undefined;
  }
  return open;
}

/**
 * `NAME=` or `NAME: ` right before an unquoted value. Text writes a blank after the colon (YAML must); code
 * does not (`{hideSecrets:!this.unsafe}` in a minified bundle).
 */
const NAME_OPERATOR = /[\w-][ \t]{0,2}(?:=[ \t]{0,3}|:[ \t]{1,3})$/;

/**
 * Lines longer than this before the match are minified or generated code, where regex literals (`/["']/`)
 * leave the quotes unpaired: there the open string is not known.
 */
const MAX_LINE = 1000;

/**
 * The value is written inside a string literal after `NAME=` or `NAME: ` (`"Server=db;Password=V;"`,
 * `"host=db password=V dbname=x"`, `'password: V'`): text in a string, so a literal, not an expression.
 * The string is open before the name (`before`: the line up to the match, read last) and the value ends at the
 * closing quote, a blank, `;` or `,`; a query's `&` or `?` after it is a URL template's front, no value.
 */
export function isInsideString(value: string, match: string, before: () => string): boolean {
  if (/[&?]/.test(value)) return false;
  const at = match.lastIndexOf(value);
  const lead = match.slice(0, at);
  const next = match.slice(at + value.length);
  if (!NAME_OPERATOR.test(lead) || !/^["'`;, \t]$/.test(next)) return false;
  const line = before();
  if (line.length > MAX_LINE) return false;
  const quote = openQuote(line + lead);
  return quote !== undefined && (next === quote || !/["'`]/.test(next));
}

/**
 * Words that make a hyphenated phrase an instruction, a label or a name rather than drawn words: function
 * words, what docs and templates say about a password, and the vocabulary of settings and services.
 */
const PHRASE_WORDS = new Set(
  (
    "the and for not are you your our their this that these with from into onto here there what when where which " +
    "who why how use using used see set get put ask let please change changed replace enter type insert fill " +
    "update default none null nil empty blank unset todo tbd same any some very super strong secure safe good bad " +
    "weak long short random real fake test tests testing demo dev devel development prod production stage staging " +
    "local localhost admin administrator user users root guest login logout signin signup server client host " +
    "database app apps api web site service secret secrets password passwords passwd pass passphrase key keys " +
    "token tokens value values string example sample dummy placeholder must should will can does only also new " +
    "old first last next generate generated auto manual disabled enabled required optional prompt interactive env " +
    "environment var variable config configure setting settings file path name names mode level min max length " +
    "size reset rotate store vault"
  ).split(" "),
);

/** A password's name: the words a passphrase is kept under (not a token's or a key's, which hold drawn characters). */
const PASSWORD_NAME = /pass(?:word|wd|phrase)|pwd/i;

/** Four or more words of letters (a capital first, a digit or two last allowed), joined by hyphens. */
const HYPHENATED_WORDS = /^[A-Za-z][a-z]{2,11}\d{0,2}(?:-[A-Za-z][a-z]{2,11}\d{0,2}){3,7}$/;

/**
 * A passphrase of drawn words under a password's name (`password = tundra-wobble-quietly-nineteen`, the form
 * diceware and password managers generate): random words have the letter statistics of English, so the
 * entropy and identifier checks would take them for a name. Four or more distinct words, none of them one
 * that makes the value a phrase (`change-me-please`, `use-the-vault-entry`, `dev-admin-login-only`); three
 * words are as often a resource's slug (`reset-password-form`, `primary-db-auth`), so they are left out.
 */
export function isPassphrase(name: string, value: string): boolean {
  if (!PASSWORD_NAME.test(name) || !HYPHENATED_WORDS.test(value)) return false;
  const words = value.toLowerCase().replace(/\d/g, "").split("-");
  return new Set(words).size === words.length && !words.some((w) => PHRASE_WORDS.has(w));
}
