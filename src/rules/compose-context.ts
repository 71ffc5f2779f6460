/**
 * Builds a context rule's regex from its data: the names (`context`), the secret's shape (`value`),
 * the rule's own extra lead-ins (`also`: a URL, a header, a CLI) and the shared assignment forms.
 * Done once, when the rule is loaded (and so once at build time for the detector bundle).
 */
import {
  CONTEXT_PIECES,
  REVERSED_COMPARISON,
  REVERSED_LEAD,
  REVERSED_LEAD_ANY_VALUE,
  SPACE_LEAD,
  TAIL_FORMS,
} from "./assignment-forms.js";
import { countGroups } from "./count-groups.js";
import { keyShapedValue, providerLeads, providerNames, settingNames } from "./provider-forms.js";

export interface ContextSpec {
  /** The names, a regex without capture groups; `{section}` and `{call}` stand for the shared pieces. */
  context: string;
  /** The secret's shape; its first capture group is the secret (the whole value when it has none). */
  value: string;
  /** Other lead-ins that end right before the value (no capture groups). */
  also?: string[];
  /** The rule's keywords: those that name its provider also lead the forms where it stands apart (rules/provider-forms.ts). */
  keywords?: readonly string[];
  /**
   * A public rule (rules/rule-spec.ts): its value is public only under a name that says so (a search-only
   * key, a storefront token), so the provider's name apart from any such name (`Using algolia Key=V`)
   * leads none of its forms: that says nothing about which of the provider's keys the value is.
   */
  public?: boolean;
  /**
   * The value may be any text (the entropy catch-all, `kind = "entropy"`): forms that would then read the
   * next parameter as the value take their stricter source (AssignmentForm.anyValueSource).
   */
  anyValue?: boolean;
}

export interface ComposedRegex {
  regex: string;
  /** Capture groups that hold the secret: the forward forms', then the reversed comparison's. */
  secretGroups: number[];
}

const SPACE_FORM = TAIL_FORMS.find((f) => f.name === "space-separated")!;
const joinedTails = (anyValue: boolean) =>
  TAIL_FORMS.filter((f) => f !== SPACE_FORM)
    .map((f) => (anyValue ? (f.anyValueSource ?? f.source) : f.source))
    .join("|");
const JOINED_TAILS = joinedTails(false);
const JOINED_TAILS_ANY_VALUE = joinedTails(true);

/**
 * An HTTP authentication scheme before the value (`BANNERBEAR_TOKEN="Bearer V"`, `auth: "token V"`): a
 * setting often holds the whole Authorization header value; the credential is the part after it.
 */
const AUTH_SCHEME = `(?:(?i:bearer|token)[ \\t]{1,3})?`;

/** The context with its `{piece}` names replaced; unknown names are left for the schema to report. */
export function expandPieces(context: string): string {
  return context.replace(/\{([a-z]+)\}/g, (whole, name: string) => CONTEXT_PIECES[name] ?? whole);
}

/**
 * The context as one token: each `{piece}` read as nothing. After `setx`/`ENV`/`--` or a compared value
 * the name is a single word, never a section or a call; and the pieces' counted repetitions are most of
 * a composed regex's size, so they are compiled once (in the named forms), not three times.
 */
function singleToken(context: string): string {
  return context.replace(/\{([a-z]+)\}/g, (whole, name: string) => (name in CONTEXT_PIECES ? "(?:)" : whole));
}

/** Names of `{piece}` references that are not shared pieces (a typo such as `{sectoin}`). */
export function unknownPieces(context: string): string[] {
  return [...context.matchAll(/\{([a-z]+)\}/g)].map((m) => m[1]!).filter((n) => !(n in CONTEXT_PIECES));
}

export function composeContext(spec: ContextSpec): ComposedRegex {
  const name = `(?:${expandPieces(spec.context)})`;
  const token = `(?:${singleToken(spec.context)})`;
  const value = countGroups(spec.value) > 0 ? spec.value : `(${spec.value})`;
  const tails = spec.anyValue ? JOINED_TAILS_ANY_VALUE : JOINED_TAILS;
  // A blank typed inside the opening quote (`KEY := " V "`) is read past, as in the provider forms; not
  // before a value of any shape, nor an HTTP scheme: there only the name vouches for the value, and
  // `secret = ' V '`, `token = "Bearer V"` hold a value's parts as often as the value.
  const quote = spec.anyValue ? `["'\`]` : `["'\`][ \\t]?`;
  const named = `(?i:${name}(?:${tails})|${SPACE_LEAD}${token}${SPACE_FORM.source})(?:${quote})?`;
  const names = spec.public ? undefined : providerNames(spec.keywords ?? []);
  const alone = keyShapedValue(spec.value) ? settingNames(spec.keywords ?? []) : undefined;
  const leadsApart = names === undefined ? [] : providerLeads(names, { alone });
  const apart = leadsApart.length === 0 ? [] : [`(?i:${leadsApart.join("|")})`];
  const leads = [named, ...apart, ...(spec.also ?? [])].join("|");
  const forward = `(?:${leads})${spec.anyValue ? "" : AUTH_SCHEME}${value}`;
  const lead = spec.anyValue ? REVERSED_LEAD_ANY_VALUE : REVERSED_LEAD;
  const reversed = `${lead}${value}(?i:${REVERSED_COMPARISON}${token})`;
  return { regex: `${forward}|${reversed}`, secretGroups: [1, 1 + countGroups(value)] };
}
