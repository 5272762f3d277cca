/**
 * Text as it goes into Discord messages: the one truncation helper, escaping of what members typed, and lists
 * that fit a limit. Every renderer in the Discord layer uses these; the limits themselves are in limits.ts.
 */
import { escapeMarkdown } from 'discord.js';

const ELLIPSIS = '…';

/**
 * Cuts text to at most `max` characters (ellipsis included), at a word boundary when one is near, never inside a
 * surrogate pair. With `markdown`, an unpaired ** left by the cut is dropped, or it would bold the rest of the message.
 */
export function truncate(text: string, max: number, options: { markdown?: boolean } = {}): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(max, 0));
  let cut = max - ELLIPSIS.length;
  const space = text.lastIndexOf(' ', cut);
  if (space > cut * 0.8) cut = space;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut -= 1;
  const short = `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
  if (!options.markdown || (short.match(/\*\*/g)?.length ?? 0) % 2 === 0) return short;
  const last = short.lastIndexOf('**');
  return short.slice(0, last) + short.slice(last + 2);
}

/** Member text shown back in a message: every Markdown construct is escaped, so it shows as typed. */
export function escapeMemberText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true });
}

/** Reverses escapeMemberText (and any Markdown backslash escape), to read member text back from a message. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_~|#\-.[\]()>])/g, '$1');
}

/** Member text quoted in a sentence: cut to `max`, escaped, in curly quotes. */
export function quoteMemberText(text: string, max = 120): string {
  return `“${escapeMemberText(truncate(text, max))}”`;
}

/** Joins items with `separator` until the next would not fit in `max`; the rest is counted ("and 3 more"). */
export function joinWithin(items: string[], separator: string, max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const [i, item] of items.entries()) {
    const rest = items.length - i - 1;
    const more = rest > 0 ? `${separator}and ${rest} more` : '';
    const added = (kept.length > 0 ? separator.length : 0) + item.length;
    if (length + added + more.length > max) {
      const skipped = items.length - kept.length;
      return kept.length > 0 ? `${kept.join(separator)}${separator}and ${skipped} more` : truncate(item, max);
    }
    kept.push(item);
    length += added;
  }
  return kept.join(separator);
}
