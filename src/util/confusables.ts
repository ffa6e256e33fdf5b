/**
 * Look-alike text (Unicode TR39 "Security Mechanisms", section 4 "Confusable Detection").
 *
 * `skeleton(text)`: two strings that a reader cannot tell apart have the same skeleton. As TR39
 * defines it: decompose (NFD), drop default-ignorable code points, replace each character by its
 * prototype from the Unicode confusables table, decompose again. The table is the
 * `confusables.txt` mapping as shipped by the `unhomoglyph` package (`data.json`, one character to
 * its prototype); only its data file is used. `а` (Cyrillic) and `a` share a skeleton, as do `rn`
 * and `m`, `l` and `1`.
 *
 * `invisibleCharacters(text)`: the default-ignorable and bidirectional control characters in a
 * string (zero-width space and joiners, soft hyphen, word joiner, BOM, variation selectors, tag
 * characters, LRE/RLO/..., isolates): characters that change what an address is without changing
 * how it looks.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PROTOTYPES = new Map<string, string>(Object.entries(require('unhomoglyph/data.json') as Record<string, string>));

/**
 * Default_Ignorable_Code_Point (DerivedCoreProperties) plus the bidi controls: what TR39 removes
 * before mapping, and what an address must not hide.
 */
// The class lists single code points on purpose (combining joiners and selectors among them).
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]/gu;

/** Prototypes of the ASCII characters, looked up without a map (most addresses are ASCII). */
const ASCII: string[] = Array.from({ length: 128 }, (_, code) => PROTOTYPES.get(String.fromCharCode(code)) ?? String.fromCharCode(code));

/** The printable ASCII characters whose prototype is something else (`m` -> `rn`, `0` -> `O`, ...). */
const ASCII_CHANGED = new RegExp(`[${ASCII.flatMap((prototype, code) => (code >= 0x20 && code < 0x7f && prototype !== String.fromCharCode(code) ? [`\\x${code.toString(16).padStart(2, '0')}`] : [])).join('')}]`, 'g');
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function skeleton(text: string): string {
  // Fast path for the common case: printable ASCII is its own NFD and holds nothing ignorable.
  if (PRINTABLE_ASCII.test(text)) {
    ASCII_CHANGED.lastIndex = 0;
    if (!ASCII_CHANGED.test(text)) return text;
    const mapped = text.replace(ASCII_CHANGED, (char) => ASCII[char.charCodeAt(0)]!);
    return PRINTABLE_ASCII.test(mapped) ? mapped : mapped.normalize('NFD');
  }
  const decomposed = text.normalize('NFD').replace(INVISIBLE, '');
  let out = '';
  for (const char of decomposed) {
    const code = char.charCodeAt(0);
    out += code < 128 ? ASCII[code] : (PROTOTYPES.get(char) ?? char);
  }
  return out.normalize('NFD');
}

/** The invisible characters of `text`, each as `U+XXXX`, in order of appearance (none: empty). */
export function invisibleCharacters(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(INVISIBLE)) found.push(codePoint(match[0]));
  return found;
}

/** `text` with every character outside printable ASCII written as `\u{…}`: how a look-alike really reads. */
export function revealed(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out += code >= 0x20 && code < 0x7f ? char : `\\u{${code.toString(16)}}`;
  }
  return out;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
