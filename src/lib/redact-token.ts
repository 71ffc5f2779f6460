/** Removes a credential from a text before it is shown: the token, its base64 forms, and URL credentials. */
import { stripUrlCredentials } from "./errors.js";

/**
 * @param token the credential to hide (null: only URL credentials are stripped)
 * Hides the raw token and the base64 of "x-access-token:<token>" (what git's auth header carries).
 */
export function redactToken(text: string, token: string | null): string {
  let out = stripUrlCredentials(text);
  if (token && token.length >= 4) {
    for (const form of [token, Buffer.from(`x-access-token:${token}`).toString("base64")])
      out = out.split(form).join("***");
  }
  return out;
}
