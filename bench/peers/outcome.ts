/**
 * What leakstop did on one peer case, whether the case counts, and the figures over the cases that do.
 *
 * A case leaves the figures when the case itself is judged wrong, and that is decided from the peer's
 * cases alone (its text, row name and the other cases), before and whatever leakstop did on it: a judged
 * case leakstop gets "right" leaves the numerator and the denominator just as one it gets "wrong". Left
 * out only when wrong, the right ones would stay in the denominator and flatter both percentages.
 *
 * Which classes are, and stay, outcome-dependent:
 * - every class in `judged.ts`: no. Each judgment tests the case's text or row name (a failing
 *   checksum, a documented example, a random value under a credential's name…), which says what the
 *   case is, not what leakstop made of it.
 * - "a positive of another rule of the same scanner" (`ELSEWHERE`): no, though it reads like one. It is
 *   the peer's own reporting, read from its positives: the text holds a secret that the same scanner
 *   reports with another rule, so scanner-wide it is no negative. The bench scores a text, not a rule
 *   (any finding on a negative counts as reported), so leakstop not reporting it is no success either.
 * - leakstop's diagnoses of its own misses and false alarms ("covered but missed", "rejected:
 *   checksum/structure validator", "rejected: placeholder, entropy or allowlist", "provider's own rule",
 *   "another provider's rule", the generic-rule classes): yes, by nature, because they say why leakstop
 *   went wrong; they are not judgments of the case, and these cases stay in the figures.
 * - "provider not covered": decided by the provider map, not the outcome; such positives are outside
 *   "covered positives" whether found or not (found ones are shown apart as "found anyway").
 */
import type { Finding } from "../../src/findings/finding.js";
import { type JudgedClass, judgedWrong } from "./judged.js";
import type { PeerCase } from "./peer-case.js";

/** The judged class of a negative that the same scanner reports with another of its rules. */
export const ELSEWHERE = "case itself wrong: a positive of another rule of the same scanner";

export type LeftOutClass = JudgedClass | typeof ELSEWHERE;

export type MissClass =
  | "rejected: checksum/structure validator"
  | "rejected: placeholder, entropy or allowlist"
  | "provider not covered"
  | "covered but missed";
export type AlarmClass =
  | "provider's own rule"
  | "another provider's rule"
  | "generic rule"
  | "generic rule, provider not covered (a negative of that provider's format only)";

export interface Outcome {
  c: PeerCase & { id: string };
  /** The leakstop provider of the case's peer rule, or null when none covers it. */
  provider: string | null;
  /** The findings that are the case's secret when it is found, else every finding. */
  findings: Finding[];
  /** What leakstop did: found a positive, or reported nothing on a negative. */
  ok: boolean;
  /** Why leakstop went wrong on a counted case. */
  why?: MissClass | AlarmClass;
  /** Why the case is left out of the figures, whatever `ok` is. */
  judged?: { class: LeftOutClass; note?: string };
}

/** Why a case is left out of the figures, if it is; `elsewhere` says a negative is another rule's positive. */
export function leftOut(
  c: PeerCase,
  elsewhere: (c: PeerCase) => boolean,
): { class: LeftOutClass; note?: string } | undefined {
  if (c.kind === "negative" && elsewhere(c)) return { class: ELSEWHERE };
  const j = judgedWrong(c);
  return j && { class: j.class, note: j.why };
}

export interface Figures {
  /** Covered positives counted, and how many of them leakstop found. */
  positives: number;
  found: number;
  /** Positives of no covered provider, and how many leakstop found anyway. */
  uncovered: number;
  uncoveredFound: number;
  negatives: number;
  reported: number;
  /** Negatives of covered providers, and how many of them leakstop reported. */
  coveredNegatives: number;
  coveredReported: number;
  /** Cases left out as judged, and on how many of them leakstop was right anyway. */
  judged: number;
  judgedRight: number;
}

/** Found and reported counts over the cases that are not judged wrong. */
export function figures(all: Outcome[]): Figures {
  const counted = all.filter((o) => !o.judged);
  const judged = all.filter((o) => o.judged);
  const pos = counted.filter((o) => o.c.kind === "positive" && o.provider);
  const uncovered = counted.filter((o) => o.c.kind === "positive" && !o.provider);
  const neg = counted.filter((o) => o.c.kind === "negative");
  const covNeg = neg.filter((o) => o.provider);
  return {
    positives: pos.length,
    found: pos.filter((o) => o.ok).length,
    uncovered: uncovered.length,
    uncoveredFound: uncovered.filter((o) => o.ok).length,
    negatives: neg.length,
    reported: neg.filter((o) => !o.ok).length,
    coveredNegatives: covNeg.length,
    coveredReported: covNeg.filter((o) => !o.ok).length,
    judged: judged.length,
    judgedRight: judged.filter((o) => o.ok).length,
  };
}
