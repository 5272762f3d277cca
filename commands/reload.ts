import { defineCommand, privateMessage } from '../src/discord/command.js';
import { MAX_MESSAGE_CONTENT } from '../src/discord/limits.js';
import { EDITORS_ONLY, editorCommand, isEditor } from '../src/discord/permissions.js';
import { joinWithin } from '../src/discord/text.js';
import { formatIssue } from '../src/knowledge/read.js';

export const reload = defineCommand({
  definition: editorCommand({
    name: 'reload',
    description: 'Editors: reload the knowledge base from disk (the old one keeps serving if the new one is invalid)',
  }),
  // Reading and indexing every file can take longer than Discord's 3 seconds.
  defer: { when: 'always', ephemeral: true },
  async execute(input, ctx) {
    // default_member_permissions hides the command, but a server admin can re-grant it: the handler checks too.
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(EDITORS_ONLY, { outcome: 'forbidden' });
    const result = await ctx.knowledge.reload();
    const seconds = (result.ms / 1000).toFixed(1);
    if (result.ok) {
      ctx.logger.info(
        { event: 'knowledge.reloaded', articles: result.articles, glossary: result.glossary, ms: Math.round(result.ms) },
        'knowledge base reloaded',
      );
      const { dropped } = result.learned;
      if (dropped.length > 0) {
        ctx.logger.warn({ event: 'learned.dropped', phrasings: dropped }, 'learned phrasings of articles no longer in the knowledge base are not searched');
      }
      const slugs = [...new Set(dropped.map((phrasing) => `\`${phrasing.slug}\``))];
      const droppedNote =
        dropped.length > 0
          ? ` ${dropped.length} learned phrasing(s) belong to articles the knowledge base no longer has and are not searched: ${joinWithin(slugs, ', ', 800)}. Restore the article, or /unlearn the questions that taught them.`
          : '';
      return privateMessage(`Reloaded in ${seconds} s: ${result.articles} articles and ${result.glossary} glossary terms are now serving.${droppedNote}`, {
        outcome: 'reloaded',
      });
    }
    ctx.logger.warn({ event: 'knowledge.reload_failed', issues: result.issues }, 'knowledge base invalid; still serving the previous one');
    const head = `The knowledge base on disk has ${result.issues.length} problem(s), so the bot keeps serving the previous version. Fix them (npm run validate shows the same list) and run /reload again:\n`;
    // Code block fences and the head take their share of Discord's 2,000 characters.
    const lines = result.issues.map((issue) => formatIssue(issue).replaceAll('```', "'''"));
    const list = joinWithin(lines, '\n', MAX_MESSAGE_CONTENT - head.length - 10);
    return privateMessage(`${head}\`\`\`\n${list}\n\`\`\``, { outcome: 'reload_failed' });
  },
});
