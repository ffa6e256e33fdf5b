/**
 * Text from a directory or an org (names, addresses, reasons built from them, server messages)
 * made safe to put in front of a person: on a terminal, in a chat message, in a ticket.
 *
 * In: any string. Out: the same string with every character that could steer the display written
 * as a visible escape instead: C0 controls (newline and tab included: a name must not start a
 * line of its own), DEL, C1 controls (ESC's 8-bit twins), the bidirectional controls (U+061C,
 * U+200E/F, U+202A-U+202E, U+2066-U+2069) and the line and paragraph separators (U+2028/9).
 * `\n` becomes `\n`, ESC becomes `\x1b`, U+202E becomes `\u202e`: what is there stays readable,
 * and nothing rewrites the screen, forges a line or reverses the text around it.
 *
 * A string with nothing to escape is returned as is (one regular-expression test), so calling it
 * on every field of a 200k-operation plan costs little.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function printable(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, escapeOne);
}

/** Whether `text` holds a character `printable` would escape. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}
