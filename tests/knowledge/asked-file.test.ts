/** appendAsked: new phrasings at the end of an article's `asked:` list, the rest of the file untouched. */
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { appendAsked } from '../../src/knowledge/asked-file.js';

const BODY = 'The body.\n\n## A heading\n\nasked: not front matter\n';

function file(frontMatter: string, newline = '\n'): string {
  return `---${newline}${frontMatter.split('\n').join(newline)}${newline}---${newline}${BODY.split('\n').join(newline)}`;
}

function askedOf(text: string): unknown {
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)![1]!;
  return (load(frontMatter, { schema: CORE_SCHEMA }) as { asked?: unknown }).asked;
}

describe('appendAsked', () => {
  it('appends to a block list with its indentation, leaving the fields after it, comments and the body as they were', () => {
    const source = file(
      [
        'title: "What is an iron condor?"',
        'asked:',
        '    - "iron condor?"   # the short one',
        "    - 'condor vs butterfly'",
        'glossary: [iron-condor]',
      ].join('\n'),
    );
    const outcome = appendAsked(source, ['four wing range trade', 'is the "bird" ok: yes # no?']);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.text).toBe(
      file(
        [
          'title: "What is an iron condor?"',
          'asked:',
          '    - "iron condor?"   # the short one',
          "    - 'condor vs butterfly'",
          '    - "four wing range trade"',
          '    - "is the \\"bird\\" ok: yes # no?"',
          'glossary: [iron-condor]',
        ].join('\n'),
      ),
    );
    expect(askedOf(outcome.text)).toEqual(['iron condor?', 'condor vs butterfly', 'four wing range trade', 'is the "bird" ok: yes # no?']);
  });

  it('adds an asked list after the other fields when there is none, and replaces asked: []', () => {
    const none = appendAsked(file('title: "T"\npublished: 2025-01-01'), ['why does theta speed up']);
    expect(none).toEqual({ ok: true, text: file('title: "T"\npublished: 2025-01-01\nasked:\n  - "why does theta speed up"') });
    const empty = appendAsked(file('title: "T"\nasked: []\ntags: [a]'), ['why does theta speed up']);
    expect(empty).toEqual({ ok: true, text: file('title: "T"\nasked:\n  - "why does theta speed up"\ntags: [a]') });
  });

  it('keeps Windows line endings and text beyond ASCII', () => {
    const source = file('title: "T"\nasked:\n  - "one"', '\r\n');
    const outcome = appendAsked(source, ['ça marche? 📉 \\ backslash']);
    expect(outcome).toEqual({ ok: true, text: file('title: "T"\nasked:\n  - "one"\n  - "ça marche? 📉 \\\\ backslash"', '\r\n') });
    if (outcome.ok) expect(askedOf(outcome.text)).toEqual(['one', 'ça marche? 📉 \\ backslash']);
  });

  it('refuses a list it cannot edit safely, and front matter it cannot read', () => {
    expect(appendAsked(file('title: "T"\nasked: ["one", "two"]'), ['three'])).toMatchObject({ ok: false, reason: expect.stringContaining('by hand') });
    expect(appendAsked(file('title: "T"\nasked: "one"'), ['three'])).toMatchObject({ ok: false, reason: '`asked` is not a list' });
    expect(appendAsked('no front matter', ['three'])).toMatchObject({ ok: false });
    expect(appendAsked(file('title: [unclosed'), ['three'])).toMatchObject({ ok: false, reason: expect.stringMatching(/^invalid YAML/) });
  });

  it('changes nothing when there is nothing to add', () => {
    const source = file('title: "T"');
    expect(appendAsked(source, [])).toEqual({ ok: true, text: source });
  });
});
