import { describe, expect, it } from 'vitest';
import { formatCitation } from '../../src/engine/citation.js';

const base = {
  author: 'Fixture Research Desk',
  published: '2025-03-14',
  title: 'Iron condors explained',
  site: 'Ask Fixture',
  url: 'https://fixture.example.com/ask/iron-condors',
};

describe('formatCitation', () => {
  it('is exactly "Publisher. (Year). Title. Site. Retrieved from URL"', () => {
    expect(formatCitation(base)).toBe(
      'Fixture Research Desk. (2025). Iron condors explained. Ask Fixture. Retrieved from https://fixture.example.com/ask/iron-condors',
    );
  });

  it('puts no full stop after a title that ends in a question mark or exclamation mark', () => {
    const cited = formatCitation({ ...base, title: 'What is an iron condor?' });
    expect(cited).toBe('Fixture Research Desk. (2025). What is an iron condor? Ask Fixture. Retrieved from https://fixture.example.com/ask/iron-condors');
    expect(cited).not.toContain('?.');
    expect(formatCitation({ ...base, title: 'Sell premium!' })).toContain(' Sell premium! Ask Fixture.');
  });

  it('does not double a full stop already there (author "Inc.", site "Co.")', () => {
    const cited = formatCitation({ ...base, author: 'Options Desk Inc.', site: 'Fixture Co.' });
    expect(cited).toBe('Options Desk Inc. (2025). Iron condors explained. Fixture Co. Retrieved from https://fixture.example.com/ask/iron-condors');
    expect(cited).not.toContain('..');
  });

  it('writes "n.d." when the page is undated', () => {
    const { published: _published, ...undated } = base;
    expect(formatCitation(undated)).toBe(
      'Fixture Research Desk. (n.d.). Iron condors explained. Ask Fixture. Retrieved from https://fixture.example.com/ask/iron-condors',
    );
  });

  it('uses only the year of the date and trims the parts', () => {
    expect(formatCitation({ ...base, published: '1999-12-31', title: '  Padded title  ' })).toMatch(
      /^Fixture Research Desk\. \(1999\)\. Padded title\. Ask Fixture\. /,
    );
  });
});
