/** File names as bytes: a name need not be valid UTF-8 (Linux allows any bytes but `/` and NUL). */

const strict = new TextDecoder("utf-8", { fatal: true });

function decodes(bytes: Buffer): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether `name` is valid UTF-8, so that the string it decodes to names the same file. */
export function isUtf8Name(name: Buffer): boolean {
  return decodes(name);
}

/**
 * A file name's bytes as a string: valid UTF-8 as it is, every byte that is not part of a valid
 * sequence as U+DC80–U+DCFF (Python's "surrogateescape": Latin-1 "café" is `caf\udce9`). Two
 * different names stay different; outputs show such a byte as `\udce9` (JSON, text) or `%E9`
 * (SARIF URIs).
 */
export function fileNameText(name: Buffer): string {
  let out = "";
  let i = 0;
  while (i < name.length) {
    const b = name[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len > 0 && i + len <= name.length && decodes(name.subarray(i, i + len))) {
      out += name.toString("utf8", i, i + len);
      i += len;
    } else {
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
  }
  return out;
}

/**
 * {@link fileNameText} of `bytes[from, to)`, fast for the common case: a name that decodes without
 * a replacement character is valid UTF-8 (or holds a real U+FFFD, which fileNameText keeps).
 */
export function fileNameTextOf(bytes: Buffer, from = 0, to = bytes.length): string {
  const text = bytes.toString("utf8", from, to);
  return text.includes("\ufffd") ? fileNameText(bytes.subarray(from, to)) : text;
}
