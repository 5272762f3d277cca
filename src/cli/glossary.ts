import { parseArgs } from 'node:util';
import { articlesUsingTerm } from '../engine/answer.js';
import { loadEngine } from '../engine/engine.js';
import { UsageError, knowledgeDir, runCli } from './common.js';

const HELP = `Usage:
  npm run --silent glossary -- [--json] [--knowledge DIR] "term"      look a term up (exact, then prefix, then fuzzy)
  npm run --silent glossary -- [--json] --complete "prefix"           the autocomplete choices (at most 25)

Exit codes: 0 found (a misspelt term finds its closest match), 1 no such term, 2 bad input.
`;

runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      complete: { type: 'string' },
      knowledge: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.complete === undefined && positionals.join(' ').trim() === '') {
    throw new UsageError('no term given. Try: npm run --silent glossary -- "contango" (or --complete "con")');
  }
  const engine = await loadEngine(knowledgeDir(values.knowledge));

  if (values.complete !== undefined) {
    const choices = engine.glossary.complete(values.complete);
    process.stdout.write(values.json ? `${JSON.stringify(choices)}\n` : choices.map((c) => `${c.name}\t${c.value}\n`).join(''));
    return 0;
  }

  const found = engine.glossary.lookup(positionals.join(' '));
  const term = found.term;
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({
        query: found.query,
        match: found.match,
        term: term
          ? {
              slug: term.slug,
              term: term.term,
              aliases: term.aliases,
              definition: term.definition,
              url: term.url,
              related: term.related,
              articles: articlesUsingTerm(engine.kb, term.slug),
            }
          : null,
        suggestions: found.suggestions.map((s) => ({ slug: s.slug, term: s.term })),
      })}\n`,
    );
    return term ? 0 : 1;
  }
  if (!term) {
    process.stderr.write(`No glossary term matches "${found.query}".\n`);
    return 1;
  }
  const lines = [term.aliases.length > 0 ? `${term.term} (${term.aliases.join(', ')})` : term.term, term.url, '', term.definition];
  if (found.match === 'fuzzy') lines.unshift(`(closest match for "${found.query}")`);
  const related = term.related.map((slug) => engine.kb.glossaryBySlug.get(slug)?.term ?? slug);
  if (related.length > 0) lines.push('', `Related: ${related.join(', ')}`);
  const articles = articlesUsingTerm(engine.kb, term.slug);
  if (articles.length > 0) lines.push('', 'Articles:', ...articles.map((a) => `  - ${a.title}`));
  if (found.suggestions.length > 0) lines.push('', `See also: ${found.suggestions.map((s) => s.term).join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
});
