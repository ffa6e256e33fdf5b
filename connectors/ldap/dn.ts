/**
 * Distinguished names compared the way a directory compares them (RFC 4514 syntax, RFC 4518
 * case-ignore matching): `CN=Smith\, John, OU=X`, `cn=smith\2c john,ou=x` and `cn="Smith, John",ou=x`
 * are one name. Pure.
 *
 * `normalizeDn` parses a DN into its RDNs, each a canonical string: attribute type in lower case
 * (common OIDs by name), the value unescaped (`\,`, `\2C`, UTF-8 hex pairs, quotes), spaces trimmed
 * and runs of spaces folded, lower-cased, then re-escaped one way; the attribute-value pairs of a
 * multi-valued RDN are sorted. `#`-hex (BER) values are kept as lower-case hex. A string that is no
 * DN gives `undefined`.
 */

const TYPE_NAMES: Record<string, string> = {
  '2.5.4.3': 'cn',
  '2.5.4.11': 'ou',
  '2.5.4.10': 'o',
  '2.5.4.6': 'c',
  '2.5.4.7': 'l',
  '2.5.4.8': 'st',
  '0.9.2342.19200300.100.1.1': 'uid',
  '0.9.2342.19200300.100.1.25': 'dc',
};

const SPECIAL = new Set([',', '+', '"', '\\', '<', '>', ';', '=', '#', ' ']);
const HEX = /^[0-9a-fA-F]{2}$/;

const typeCache = new Map<string, string | undefined>();

function canonicalType(raw: string): string | undefined {
  if (typeCache.has(raw)) return typeCache.get(raw);
  const type = raw.trim().toLowerCase().replace(/^oid\./, '');
  const canonical = /^([a-z][a-z0-9-]*|\d+(\.\d+)*)$/.test(type) ? (TYPE_NAMES[type] ?? type) : undefined;
  if (typeCache.size < 1000) typeCache.set(raw, canonical);
  return canonical;
}

const NEEDS_ESCAPE = /[,+"\\<>;]/;

function canonicalValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(value);
  const folded = (ascii ? value : value.normalize('NFC')).trim().replace(/\s+/g, ' ').toLowerCase();
  let out = folded;
  if (NEEDS_ESCAPE.test(folded)) {
    out = '';
    for (const c of folded) out += SPECIAL.has(c) && c !== ' ' && c !== '#' && c !== '=' ? `\\${c}` : c;
  }
  return out.startsWith('#') ? `\\${out}` : out;
}

interface Cursor {
  text: string;
  at: number;
}

/** Read one value up to an unescaped `,` `;` `+` or the end; undefined when malformed. */
function readValue(cursor: Cursor): string | undefined {
  const { text } = cursor;
  while (text[cursor.at] === ' ') cursor.at += 1;
  if (text[cursor.at] === '#') {
    const match = /^#([0-9a-fA-F]+)\s*/.exec(text.slice(cursor.at));
    if (!match) return undefined;
    cursor.at += match[0].length;
    return `#${match[1]!.toLowerCase()}`;
  }
  const quoted = text[cursor.at] === '"';
  if (quoted) cursor.at += 1;
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    out += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  for (; cursor.at < text.length; cursor.at += 1) {
    const c = text[cursor.at]!;
    if (c === '\\') {
      const pair = text.slice(cursor.at + 1, cursor.at + 3);
      if (HEX.test(pair)) {
        bytes.push(parseInt(pair, 16));
        cursor.at += 2;
        continue;
      }
      if (cursor.at + 1 >= text.length) return undefined;
      flush();
      cursor.at += 1;
      out += text[cursor.at]!;
      continue;
    }
    if (quoted && c === '"') {
      cursor.at += 1;
      while (text[cursor.at] === ' ') cursor.at += 1;
      break;
    }
    if (!quoted && (c === ',' || c === ';' || c === '+')) break;
    flush();
    out += c;
  }
  flush();
  return out;
}

/** A DN without escapes, quotes, multi-valued RDNs, BER values or `;`: split at the commas. */
const PLAIN = /^[^\\"+#;]*$/;

function plainRdns(dn: string): string[] | undefined {
  const rdns = dn.split(',');
  for (let i = 0; i < rdns.length; i += 1) {
    const rdn = rdns[i]!;
    const equals = rdn.indexOf('=');
    const type = equals < 0 ? undefined : canonicalType(rdn.slice(0, equals));
    if (type === undefined) return undefined;
    rdns[i] = `${type}=${canonicalValue(rdn.slice(equals + 1))}`;
  }
  return rdns;
}

/** The RDNs of `dn`, each canonical, most specific first; undefined when `dn` is not a DN. */
export function normalizeDn(dn: string): string[] | undefined {
  if (dn.trim() === '') return [];
  if (PLAIN.test(dn)) return plainRdns(dn);
  const cursor: Cursor = { text: dn, at: 0 };
  const rdns: string[] = [];
  let avas: string[] = [];
  while (cursor.at <= dn.length) {
    const equals = dn.indexOf('=', cursor.at);
    if (equals < 0) return undefined;
    const type = canonicalType(dn.slice(cursor.at, equals));
    cursor.at = equals + 1;
    const value = readValue(cursor);
    if (type === undefined || value === undefined) return undefined;
    avas.push(`${type}=${value.startsWith('#') ? value : canonicalValue(value)}`);
    const separator = dn[cursor.at];
    cursor.at += 1;
    if (separator === '+') continue;
    rdns.push(avas.sort().join('+'));
    avas = [];
    if (separator === undefined) return rdns;
    if (separator !== ',' && separator !== ';') return undefined;
  }
  return undefined;
}

/** One string per name: equal for DNs the directory treats as equal; undefined when not a DN. */
export function dnKey(dn: string): string | undefined {
  return normalizeDn(dn)?.join(',');
}

/** Whether `entry` lies in the search scope of `base` (both normalized RDN lists). */
export function isWithin(entry: readonly string[], base: readonly string[], scope: 'sub' | 'one'): boolean {
  const depth = entry.length - base.length;
  if (depth < 0 || (scope === 'one' && depth !== 1)) return false;
  for (let i = 0; i < base.length; i += 1) if (entry[depth + i] !== base[i]) return false;
  return true;
}
