/**
 * Appending phrasings to an article file's `asked:` list, as an editor would by hand: the rest of the file (other
 * fields, comments, quoting, line endings, the body) is left byte for byte as it was.
 */
import { CORE_SCHEMA, load } from 'js-yaml';

const FRONT_MATTER = /^(\uFEFF?---[ \t]*\r?\n)([\s\S]*?)(\r?\n---[ \t]*(?:\r?\n|$))/;
const ASKED_KEY = /^asked:[ \t]*(?:#.*)?$/;
const EMPTY_ASKED = /^asked:[ \t]*\[[ \t]*\][ \t]*(?:#.*)?$/;

export type AppendOutcome = { ok: true; text: string } | { ok: false; reason: string };

function askedOf(frontMatter: string): unknown {
  const data = load(frontMatter, { schema: CORE_SCHEMA }) as Record<string, unknown> | null;
  return data?.asked;
}

/** One list item as the shipped files write them: a double-quoted YAML string (JSON escapes are YAML escapes). */
function item(indent: string, phrasing: string): string {
  return `${indent}- ${JSON.stringify(phrasing)}`;
}

/**
 * The file's text with `phrasings` appended to its `asked:` list (a block list; created after the other fields
 * when there is none, or in place of `asked: []`). Refuses, with the reason, a list written in another style
 * (a flow list `[...]`) or front matter it cannot read, and checks that the result reads back as the old list
 * plus the new phrasings.
 */
export function appendAsked(source: string, phrasings: readonly string[]): AppendOutcome {
  const match = FRONT_MATTER.exec(source);
  if (!match) return { ok: false, reason: 'no front matter ("---" lines)' };
  const [whole, opening, frontMatter, closing] = match as unknown as [string, string, string, string];
  let before: unknown;
  try {
    before = askedOf(frontMatter);
  } catch (error) {
    return { ok: false, reason: `invalid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  if (before !== undefined && before !== null && !Array.isArray(before)) return { ok: false, reason: '`asked` is not a list' };
  if (phrasings.length === 0) return { ok: true, text: source };

  const newline = opening.endsWith('\r\n') ? '\r\n' : '\n';
  const lines = frontMatter.split(/\r?\n/);
  const keyLine = lines.findIndex((line) => ASKED_KEY.test(line) || EMPTY_ASKED.test(line));
  let updated: string[];
  if (keyLine < 0) {
    if (before !== undefined) return { ok: false, reason: '`asked` is written in a way this tool does not edit; add the phrasings by hand' };
    updated = [...lines, 'asked:', ...phrasings.map((phrasing) => item('  ', phrasing))];
  } else if (EMPTY_ASKED.test(lines[keyLine]!)) {
    updated = [...lines.slice(0, keyLine), 'asked:', ...phrasings.map((phrasing) => item('  ', phrasing)), ...lines.slice(keyLine + 1)];
  } else {
    // The list runs on while lines are indented or are items at the key's level ("- ..." under "asked:").
    let end = keyLine + 1;
    while (end < lines.length && /^(?:[ \t]+\S|-[ \t]|-$)/.test(lines[end]!)) end++;
    // Trailing comment lines inside the block stay where they are; new items go after the last item.
    const itemLines = lines.slice(keyLine + 1, end);
    const firstItem = itemLines.find((line) => /^[ \t]*-/.test(line));
    const indent = firstItem ? /^([ \t]*)-/.exec(firstItem)![1]! : '  ';
    updated = [...lines.slice(0, end), ...phrasings.map((phrasing) => item(indent, phrasing)), ...lines.slice(end)];
  }
  const newFrontMatter = updated.join(newline);
  let after: unknown;
  try {
    after = askedOf(newFrontMatter);
  } catch (error) {
    return { ok: false, reason: `the edited front matter would not read back: ${(error as Error).message.split('\n')[0]}` };
  }
  const expected = [...((before as unknown[] | null | undefined) ?? []), ...phrasings];
  if (JSON.stringify(after) !== JSON.stringify(expected)) {
    return { ok: false, reason: '`asked` is written in a way this tool does not edit safely; add the phrasings by hand' };
  }
  return { ok: true, text: opening + newFrontMatter + closing + source.slice(whole.length) };
}
