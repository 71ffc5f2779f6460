/**
 * Annotated tags: the tag objects a history or a push holds, and their messages. A tag object is
 * "object <id>\ntype <type>\ntag <name>\ntagger <name> <<e-mail>> <seconds> <zone>\n\n<message>";
 * a signed tag's message ends with its signature, which is cut off (git's own reading: the
 * signature starts at the last line opening with a signature marker). A tag may name another tag
 * (nested), a commit, a tree or a blob; lightweight tags are refs to a commit, with no object of
 * their own and no message.
 */
import type { Finding } from "../../findings/finding.js";
import type { CatFileBatch } from "./cat-file.js";
import { runGit } from "./run-git.js";

export interface TagObject {
  /** The tag object's id. */
  oid: string;
  /** The name the tag was made with (its `tag` header). */
  name: string;
  /** What it tags, and that object's type ("commit", "tag", "tree", "blob"). */
  target: string;
  targetType: string;
  /** The tagger (empty for the few old tags made without one), and the date as ISO-8601 ("" when none). */
  tagger: string;
  email: string;
  date: string;
  /** The date in Unix seconds, null when the tag has no tagger. */
  seconds: number | null;
  /** Its message without the signature (tagMessageOf), when asked for. */
  message?: Buffer;
}

/** What a finding in a tag's message says of it: the tag's name, its tagger and date (`commit` is the tag object's id). */
export function tagProvenance(t: TagObject): Pick<Finding, "tag" | "author" | "email" | "date"> {
  const out: Pick<Finding, "tag" | "author" | "email" | "date"> = { tag: t.name };
  if (t.tagger !== "" || t.email !== "") Object.assign(out, { author: t.tagger, email: t.email });
  if (t.date !== "") out.date = t.date;
  return out;
}

/** Lines that open a signature, as git's gpg-interface knows them (OpenPGP, X.509, SSH). */
const SIGNATURE_STARTS = [
  "-----BEGIN PGP SIGNATURE-----",
  "-----BEGIN PGP MESSAGE-----",
  "-----BEGIN SIGNED MESSAGE-----",
  "-----BEGIN SSH SIGNATURE-----",
].map((s) => Buffer.from(s, "latin1"));

/** The end of a tag object's headers: its message starts after the first blank line. */
function headersEnd(data: Buffer): number {
  if (data[0] === 10) return 0;
  const cut = data.indexOf("\n\n");
  return cut === -1 ? data.length : cut + 1;
}

/** A tag object's message, without its headers and without its signature (empty when it has none). */
export function tagMessageOf(data: Buffer): Buffer {
  const start = Math.min(headersEnd(data) + 1, data.length);
  let end = data.length;
  for (let at = start; at < data.length; ) {
    if (SIGNATURE_STARTS.some((s) => data.compare(s, 0, s.length, at, Math.min(at + s.length, data.length)) === 0))
      end = at;
    const nl = data.indexOf(10, at);
    at = nl === -1 ? data.length : nl + 1;
  }
  return data.subarray(start, end);
}

/** A tag object's headers (see TagObject). */
export function parseTagObject(oid: string, data: Buffer): TagObject {
  const tag: TagObject = { oid, name: "", target: "", targetType: "", tagger: "", email: "", date: "", seconds: null };
  for (const line of data.toString("utf8", 0, headersEnd(data)).split("\n")) {
    const space = line.indexOf(" ");
    const [key, value] = space === -1 ? [line, ""] : [line.slice(0, space), line.slice(space + 1)];
    if (key === "object") tag.target = value;
    else if (key === "type") tag.targetType = value;
    else if (key === "tag") tag.name = value;
    else if (key === "tagger") Object.assign(tag, parsePerson(value));
  }
  return tag;
}

/** "Name <e-mail> 1700000000 +0100" → name, e-mail, ISO-8601 date (as git's %(taggerdate:iso-strict)) and seconds. */
function parsePerson(text: string): Pick<TagObject, "tagger" | "email" | "date" | "seconds"> {
  const open = text.indexOf("<");
  const close = text.indexOf(">", open);
  if (open === -1 || close === -1) return { tagger: text.trim(), email: "", date: "", seconds: null };
  const m = /^\s*(\d+)\s+([+-])(\d\d)(\d\d)/.exec(text.slice(close + 1));
  const seconds = m ? Number(m[1]) : null;
  return {
    tagger: text.slice(0, open).trim(),
    email: text.slice(open + 1, close),
    date: m && seconds !== null ? isoDate(seconds, m[2]!, m[3]!, m[4]!) : "",
    seconds,
  };
}

function isoDate(seconds: number, sign: string, hours: string, minutes: string): string {
  const offset = (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const local = new Date((seconds + offset * 60) * 1000);
  if (Number.isNaN(local.getTime())) return "";
  return `${local.toISOString().slice(0, 19)}${sign}${hours}:${minutes}`;
}

/**
 * The tag objects `tips` name and those they nest (a tag of a tag), each once and in that order;
 * ids in `skip` (and what only they nest) are left out, as are tips that are not tag objects.
 * `messages`: keep each one's message too.
 */
export async function readTagChains(
  cat: CatFileBatch,
  tips: string[],
  skip: ReadonlySet<string> = new Set(),
  opts: { messages?: boolean } = {},
): Promise<TagObject[]> {
  const seen = new Set<string>(skip);
  const out: TagObject[] = [];
  let next = tips.filter((t) => !seen.has(t));
  while (next.length > 0) {
    for (const t of next) seen.add(t);
    const found = await readTagObjects(cat, next, opts.messages === true);
    out.push(...found);
    next = [...new Set(found.filter((t) => t.targetType === "tag" && !seen.has(t.target)).map((t) => t.target))];
  }
  return out;
}

/** The tag objects among `oids` (anything else, or missing, is left out), with their headers. */
async function readTagObjects(cat: CatFileBatch, oids: string[], messages: boolean): Promise<TagObject[]> {
  const out: TagObject[] = [];
  let i = 0;
  let oid = "";
  let parts: Buffer[] | null = null;
  await cat.read(oids, {
    start: (h) => {
      oid = oids[i++]!;
      parts = h.type === "tag" ? [] : null;
    },
    data: (bytes) => {
      parts?.push(Buffer.from(bytes));
    },
    end: () => {
      if (parts) {
        const data = Buffer.concat(parts);
        const tag = parseTagObject(oid, data);
        if (messages) tag.message = tagMessageOf(data);
        out.push(tag);
      }
      parts = null;
    },
  });
  return out;
}

export interface TagSelection {
  /** Only the tags of this revision's history: those whose commit it reaches (`git tag --merged`). */
  branch?: string;
  /** Only tags made at or after this (Unix seconds, the tagger's date); a tag without a date is left out. */
  since?: number;
  /** Tag objects named here, and the tags only they nest, are left out (what an incremental scan scanned before). */
  exclude?: readonly string[];
}

/**
 * The annotated tags of a history: every tag object a ref points at (any ref, not only refs/tags)
 * and the tags those nest, each once, selected as `sel` says.
 */
export async function historyTags(gitDir: string, cat: CatFileBatch, sel: TagSelection = {}): Promise<TagObject[]> {
  const args = ["for-each-ref", "--format=%(objectname) %(objecttype)"];
  const tips = new Set<string>();
  if (sel.branch !== undefined) {
    const commit = await peeled(gitDir, sel.branch, "commit");
    if (commit === null) {
      // A tag of a tree or a blob: its own chain; an unknown revision: nothing (the listing says why).
      const tag = await peeled(gitDir, sel.branch, "tag");
      return tag === null ? [] : filterSince(await readTagChains(cat, [tag], new Set(sel.exclude ?? [])), sel.since);
    }
    args.push(`--merged=${commit}`);
  }
  const out = await runGit(gitDir, args);
  for (const line of out.split("\n")) {
    const [oid, type] = line.split(" ");
    if (oid && type === "tag") tips.add(oid);
  }
  if (tips.size === 0) return [];
  return filterSince(await readTagChains(cat, [...tips].sort(), new Set(sel.exclude ?? [])), sel.since);
}

function filterSince(tags: TagObject[], since: number | undefined): TagObject[] {
  return since === undefined ? tags : tags.filter((t) => t.seconds !== null && t.seconds >= since);
}

/** The object of type `type` that `rev` peels to, or null (not one, or no such revision). */
async function peeled(gitDir: string, rev: string, type: "commit" | "tag"): Promise<string | null> {
  if (rev.startsWith("-")) return null;
  const out = await runGit(gitDir, ["rev-parse", "--verify", "--quiet", `${rev}^{${type}}`], { okCodes: [0, 1, 128] });
  return out.trim() || null;
}
