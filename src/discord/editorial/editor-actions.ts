/**
 * What editors do to a question (mark it answered with an article, dismiss it), shared by /resolve and the
 * editors' channel buttons: the store changes, the channel post is updated, the askers are told.
 */
import type { Engine } from '../../engine/engine.js';
import type { Article } from '../../knowledge/types.js';
import { privateMessage, type BotContext, type Choice, type MessageReply } from '../command.js';
import { escapeMemberText, quoteMemberText } from '../text.js';
import { notifyAskers } from './notify.js';

/** An article by slug, or by its exact title (case-insensitive), in the knowledge base serving now. */
export function findArticle(engine: Engine, text: string): Article | null {
  const wanted = text.trim();
  const bySlug = engine.kb.articleBySlug.get(wanted);
  if (bySlug) return bySlug;
  const title = wanted.toLowerCase();
  return engine.kb.articles.find((article) => article.title.toLowerCase() === title) ?? null;
}

/** Articles whose title or slug contains every typed word; titles starting with the text first. */
export function articleChoices(engine: Engine, typed: string, limit = 25): Choice[] {
  const text = typed.trim().toLowerCase();
  const words = text.split(/\s+/).filter(Boolean);
  return engine.kb.articles
    .filter((article) => words.every((word) => `${article.title} ${article.slug}`.toLowerCase().includes(word)))
    .sort((a, b) => Number(b.title.toLowerCase().startsWith(text)) - Number(a.title.toLowerCase().startsWith(text)) || a.title.localeCompare(b.title))
    .slice(0, limit)
    .map((article) => ({ name: article.title, value: article.slug }));
}

function noSuchQuestion(questionId: number): MessageReply {
  return privateMessage(`There is no question #${questionId}. /unanswered lists the questions with their ids.`, { outcome: 'not_found' });
}

/** Marks a question answered with an article, updates the editors' channel and, if configured, tells the askers. */
export async function markAnswered(ctx: BotContext, questionId: number, articleText: string, editorId: string): Promise<MessageReply> {
  const { store, editorsChannel, notify, messenger } = ctx.editorial;
  const article = findArticle(ctx.engine(), articleText);
  if (!article) {
    const close = articleChoices(ctx.engine(), articleText, 5).map((choice) => `\`${choice.value}\` (${choice.name})`);
    return privateMessage(
      [
        `There is no article \`${escapeMemberText(articleText)}\` in the knowledge base the bot is serving.`,
        close.length > 0 ? `Did you mean: ${close.join(', ')}?` : 'Give the article slug, as in its file name.',
        'If you have just added it, run /reload first.',
      ].join(' '),
      { outcome: 'unknown_article' },
    );
  }
  const change = await store.setStatus(questionId, { status: 'answered', articleSlug: article.slug, editorId });
  if (!change) return noSuchQuestion(questionId);
  await editorsChannel?.refresh(questionId);
  ctx.logger.info({ event: 'question.resolved', questionId, articleSlug: article.slug, editorId }, 'question marked answered');

  const done = `Question #${questionId} ${quoteMemberText(change.group.question)} is marked answered with [${article.title}](${article.url}).`;
  if (change.previousStatus === 'answered' && change.previousSlug === article.slug) {
    return privateMessage(`${done} It already was, so nobody was notified again.`, { outcome: 'resolved' });
  }
  if (notify === 'off') {
    return privateMessage(`${done} The members who asked were not told (NOTIFY_ASKERS is off).`, { outcome: 'resolved' });
  }
  const askers = await store.askers(questionId);
  const sent = await notifyAskers({ mode: notify, messenger, group: change.group, askers, article, logger: ctx.logger });
  const how = notify === 'dm' ? 'by direct message' : 'in the channel where they asked';
  const problems = [sent.failed > 0 && `${sent.failed} could not be reached`, sent.skipped > 0 && `${sent.skipped} skipped`].filter(Boolean);
  return privateMessage(`${done} Told ${sent.notified} of ${askers.length} member(s) ${how}${problems.length > 0 ? ` (${problems.join(', ')})` : ''}.`, {
    outcome: 'resolved',
  });
}

export async function dismissQuestion(ctx: BotContext, questionId: number, editorId: string): Promise<MessageReply> {
  const change = await ctx.editorial.store.setStatus(questionId, { status: 'dismissed', editorId });
  if (!change) return noSuchQuestion(questionId);
  await ctx.editorial.editorsChannel?.refresh(questionId);
  ctx.logger.info({ event: 'question.dismissed', questionId, editorId }, 'question dismissed');
  return privateMessage(`Question #${questionId} ${quoteMemberText(change.group.question)} is dismissed.`, { outcome: 'dismissed' });
}
