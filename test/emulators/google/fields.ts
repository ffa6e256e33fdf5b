/**
 * Partial responses: the `fields` parameter of Google APIs (`nextPageToken,users(id,name(fullName))`).
 * A selection names properties, each optionally followed by a parenthesised sub-selection applied
 * to the object (or to every element of the array) under it. A malformed selection is refused.
 */
export type Selection = Map<string, Selection | true>;

export class FieldsError extends Error {}

/** Parse a `fields` value. */
export function parseFields(text: string): Selection {
  let at = 0;
  const list = (): Selection => {
    const out: Selection = new Map();
    for (;;) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at));
      if (!match) throw new FieldsError(`Invalid field selection ${text}`);
      at += match[0].length;
      if (text[at] === '(') {
        at += 1;
        out.set(match[0], list());
        if (text[at] !== ')') throw new FieldsError(`Invalid field selection ${text}`);
        at += 1;
      } else out.set(match[0], true);
      if (text[at] !== ',') return out;
      at += 1;
    }
  };
  const selection = list();
  if (at !== text.length) throw new FieldsError(`Invalid field selection ${text}`);
  return selection;
}

/** `value` with only the selected properties. */
export function applyFields(value: unknown, selection: Selection): unknown {
  if (Array.isArray(value)) return value.map((item) => applyFields(item, selection));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of selection) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) out[key] = sub === true ? field : applyFields(field, sub);
  }
  return out;
}
