/**
 * Peer cases judged wrong by hand (by case id; see peer-case.ts): a "positive" that is no secret of
 * its provider's documented format, or a "negative" that is one. Each entry says why.
 */
export const JUDGED: Record<string, string> = {};
