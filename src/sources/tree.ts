/**
 * Walks a working tree: honours .gitignore files at every level (and .git/info/exclude, and the
 * config's excludes), skips .git and known binary file types, and never follows a symlink (so
 * nothing outside the root is ever read). It stats nothing: sizes are learnt when files are read.
 */
import { accessSync, constants, type Dirent, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { LeakstopError } from "../lib/errors.js";
import { fileNameText, isUtf8Name } from "../lib/file-name.js";
import { type Ignore, ignore } from "../lib/gitignore.js";
import { IgnoreLiterals } from "../lib/ignore-literals.js";

export interface TreeFile {
  /**
   * Bytes where a name on the way is not valid UTF-8 (a string would name another file); a
   * Uint8Array once posted to a worker thread (see {@link fsPath}).
   */
  abs: string | Uint8Array;
  /** Relative to the scan root, forward slashes; a byte that is not UTF-8 as U+DCxx (see lib/file-name). */
  rel: string;
}

/** A TreeFile's path for node:fs (a Buffer posted to a worker arrives as a plain Uint8Array). */
export function fsPath(file: TreeFile): string | Buffer {
  return typeof file.abs === "string" || Buffer.isBuffer(file.abs) ? file.abs : Buffer.from(file.abs);
}

export interface SkippedFile {
  rel: string;
  reason: "binary-type" | "unreadable" | "symlink" | "special";
}

export interface WalkOptions {
  exclude: string[];
  /** Called once, as soon as the walk has found this many files (a big tree: time to start workers). */
  onManyFiles?: { count: number; call: () => void };
}

const BINARY_EXTENSIONS = new Set(
  (
    "png jpg jpeg gif bmp ico icns tif tiff webp psd ai heic avif mp3 mp4 m4a m4v mov avi mkv webm flac ogg wav " +
    "zip gz tgz bz2 xz zst lz4 7z rar tar jar war ear apk aab ipa dmg iso deb rpm msi exe dll so dylib a o obj lib " +
    "class pyc pyo pyd whl egg wasm woff woff2 ttf otf eot pdf doc docx xls xlsx ppt pptx odt ods sqlite sqlite3 db " +
    "bin dat pack idx parquet avro orc npy npz pt pth onnx h5 tflite ckpt safetensors"
  ).split(" "),
);

interface Layer {
  /** Folder of the ignore file, relative to root ("" for root), with a trailing slash. */
  base: string;
  rules: Ignore;
  /** Answers "no pattern here can match" without running the patterns' regexes. */
  literals: IgnoreLiterals;
}

function readIgnoreFile(path: string | Buffer): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Last matching layer wins, like git: a deeper `!pattern` can re-include. */
function isIgnored(layers: Layer[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    if (layer.base && !rel.startsWith(layer.base)) continue;
    const sub = rel.slice(layer.base.length) + (isDir ? "/" : "");
    if (!layer.literals.mayMatch(sub)) continue;
    const r = layer.rules.test(sub);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase();
}

/** Lists the files to scan under `root` (a folder, or a single file). */
export function walkTree(root: string, opts: WalkOptions): { files: TreeFile[]; skipped: SkippedFile[] } {
  // The root the user named is followed if it is a symlink (a linked project folder); symlinks
  // inside it never are.
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(root);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const dangling = code === "ENOENT" && isSymlink(root);
    if (code === "ENOENT" || code === "ENOTDIR")
      throw new LeakstopError("LS_PATH_NOT_FOUND", `path not found: ${root}${dangling ? " (a broken symlink)" : ""}`);
    throw new LeakstopError("LS_PATH_NOT_FOUND", `cannot read ${root}: ${code ?? "unknown error"}`);
  }
  const files: TreeFile[] = [];
  const skipped: SkippedFile[] = [];
  const consider = (abs: string | Buffer, rel: string, name: string) => {
    if (BINARY_EXTENSIONS.has(extensionOf(name))) skipped.push({ rel, reason: "binary-type" });
    else if (files.push({ abs, rel }) === opts.onManyFiles?.count) opts.onManyFiles.call();
  };
  if (st.isFile()) {
    // A file the user names is scanned whatever its extension, and must be readable: "no leaks
    // found" for a file that was never read would be a lie.
    mustRead(root, constants.R_OK);
    const name = root.split(sep).pop() ?? root;
    files.push({ abs: root, rel: name });
    return { files, skipped };
  }
  if (!st.isDirectory()) throw new LeakstopError("LS_PATH_NOT_FOUND", `not a file or folder: ${root}`);
  mustRead(root, constants.R_OK | constants.X_OK);

  const rootLayer: Layer = {
    base: "",
    rules: ignore().add(opts.exclude),
    literals: new IgnoreLiterals().add(opts.exclude),
  };
  const infoExclude = readIgnoreFile(join(root, ".git", "info", "exclude"));
  if (infoExclude) {
    rootLayer.rules.add(infoExclude);
    rootLayer.literals.add(infoExclude);
  }
  walkDir(root, "", [rootLayer], consider, skipped);
  return { files, skipped };
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The scan root must be readable (and a folder listable): otherwise the scan would report a clean tree it never read. */
function mustRead(path: string, mode: number): void {
  try {
    accessSync(path, mode);
    if (mode & constants.X_OK) readdirSync(path);
  } catch (err) {
    const code = (err as { code?: string }).code ?? "unknown error";
    throw new LeakstopError("LS_PATH_NOT_FOUND", `cannot read ${path}: ${code}`);
  }
}

/** A folder's entries with their names as read: bytes, so a name that is not UTF-8 is still opened. */
function entriesOf(
  dir: string | Buffer,
): { e: Dirent<Buffer>; name: string; abs: (d: string | Buffer) => string | Buffer }[] {
  return readdirSync(dir, { withFileTypes: true, encoding: "buffer" }).map((e) => {
    const raw = e.name;
    if (isUtf8Name(raw)) {
      const name = raw.toString("utf8");
      return {
        e,
        name,
        abs: (d) => (typeof d === "string" ? join(d, name) : Buffer.concat([d, Buffer.from(sep), raw])),
      };
    }
    const abs = (d: string | Buffer) =>
      Buffer.concat([typeof d === "string" ? Buffer.from(d) : d, Buffer.from(sep), raw]);
    return { e, name: fileNameText(raw), abs };
  });
}

function walkDir(
  dir: string | Buffer,
  relDir: string,
  parentLayers: Layer[],
  consider: (abs: string | Buffer, rel: string, name: string) => void,
  skipped: SkippedFile[],
): void {
  let entries: ReturnType<typeof entriesOf>;
  try {
    entries = entriesOf(dir);
  } catch {
    skipped.push({ rel: relDir, reason: "unreadable" });
    return;
  }
  const prefix = relDir ? `${relDir}/` : "";
  let layers = parentLayers;
  const gitignore = entries.find(({ e, name }) => name === ".gitignore" && e.isFile());
  if (gitignore) {
    const text = readIgnoreFile(gitignore.abs(dir));
    if (text)
      layers = [...parentLayers, { base: prefix, rules: ignore().add(text), literals: new IgnoreLiterals().add(text) }];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { e, name, abs: absIn } of entries) {
    const rel = prefix + name;
    const abs = absIn(dir);
    if (e.isSymbolicLink()) {
      skipped.push({ rel, reason: "symlink" });
    } else if (e.isDirectory()) {
      if (name === ".git" || isIgnored(layers, rel, true)) continue;
      walkDir(abs, rel, layers, consider, skipped);
    } else if (e.isFile()) {
      if (!isIgnored(layers, rel, false)) consider(abs, rel, name);
    } else if (!isIgnored(layers, rel, false)) {
      // FIFOs, sockets, devices: opening a FIFO would block the scan forever.
      skipped.push({ rel, reason: "special" });
    }
  }
}
