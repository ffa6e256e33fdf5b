/**
 * HTML built from tagged templates that escape every interpolated value, so data from the
 * directory (names, emails, reasons) can never become markup. In: template literals; values may
 * be strings, numbers, `Html` (already safe), arrays of those, or null/undefined/false (nothing).
 * Control and bidi characters in values are shown as escapes (`printable`), never sent raw.
 * Out: `Html`, whose `value` is the text to send.
 */
import { printable } from '../../util/printable.js';

export class Html {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(printable(String(value)));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup that is known to be safe (constants written in this code base only). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** An attribute that is present or absent, e.g. `selected`, `checked`. */
export function flag(name: string, on: boolean): Html {
  return new Html(on ? ` ${name}` : '');
}
