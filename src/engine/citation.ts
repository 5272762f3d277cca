/** APA-style reference: `Publisher. (Year). Title. Site. Retrieved from URL`. */
export interface CitationParts {
  author: string;
  /** YYYY-MM-DD, or undefined for undated pages (APA: "n.d."). */
  published?: string;
  title: string;
  site: string;
  url: string;
}

/** Ends a part with a full stop unless it already ends in terminal punctuation (APA: no "?." after a question). */
function sentence(part: string): string {
  const trimmed = part.trim();
  return /[.?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function formatCitation({ author, published, title, site, url }: CitationParts): string {
  const year = published ? published.slice(0, 4) : 'n.d.';
  return `${sentence(author)} (${year}). ${sentence(title)} ${sentence(site)} Retrieved from ${url}`;
}
