import { parseArgs } from 'node:util';
import { formatIssue, readKnowledgeBase } from '../knowledge/read.js';
import { knowledgeDir, runCli } from './common.js';

const HELP = `Usage: npm run validate -- [--knowledge DIR] [--json]

Checks every file of the knowledge base (site.yaml, articles/*.md, glossary/*.md) against the knowledge
format in README: unknown or missing fields, bad dates, dangling glossary/related slugs, duplicate names.
Prints each problem as "file: field: message" and exits 1 if there is any.
`;

runCli(async () => {
  const { values } = parseArgs({
    options: { knowledge: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dir = knowledgeDir(values.knowledge);
  const { kb, issues } = await readKnowledgeBase(dir);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ dir, ok: issues.length === 0, issues, articles: kb?.articles.length ?? null, glossary: kb?.glossary.length ?? null })}\n`,
    );
  } else if (kb) {
    const passages = kb.articles.reduce((sum, article) => sum + article.passages.length, 0);
    process.stdout.write(`ok: ${kb.articles.length} articles (${passages} passages), ${kb.glossary.length} glossary terms in ${dir}\n`);
  } else {
    for (const issue of issues) process.stdout.write(`${formatIssue(issue)}\n`);
    process.stdout.write(`${issues.length} problem(s) in ${dir}\n`);
  }
  return issues.length === 0 ? 0 : 1;
});
