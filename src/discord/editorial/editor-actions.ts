/**
 * What editors do to a question (mark it answered with an article, dismiss it), shared by /resolve and the
 * editors' channel buttons: the store changes, the channel post is updated, the askers are told.
 */
import type { Engine } from '../../engine/engine.js';
import type { Article } from '../../knowledge/types.js';
import type { LearnedPhrasingRow } from '../../questions/store.js';
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

/**
 * What the bot learned from a resolve, for the editor: whether the question is now answered with the article.
 * The engine's confidence rule still decides: a question whose words are all far from the article's may stay
 * unanswered, and the editor should know.
 */
async function teach(ctx: BotContext, questionId: number, question: string, article: Article, editorId: string, learn: boolean): Promise<string> {
  const { store, learned } = ctx.editorial;
  if (!learn) {
    const removed = await store.unlearn(questionId);
    await learned?.sync({ force: true });
    if (removed.length === 0) return 'Nothing was learned (learn:false).';
    ctx.logger.info({ event: 'question.unlearned', questionId, phrasings: removed.length, editorId }, 'learned phrasings removed');
    return `Nothing was learned (learn:false), and the ${removed.length} phrasing(s) it had taught before were forgotten.${exportedNote(removed)}`;
  }
  const phrasings = (await store.learn(questionId, article.slug, editorId)) ?? [];
  await learned?.sync({ force: true });
  // A question of no words ("???") teaches nothing.
  if (phrasings.length === 0) return 'Its wording has no words to learn from.';
  ctx.logger.info({ event: 'question.learned', questionId, articleSlug: article.slug, phrasings: phrasings.length, editorId }, 'phrasings learned');
  const now = ctx.engine().ask(question);
  const answers = now.status === 'answered' && now.answer?.slug === article.slug;
  return answers
    ? 'The bot learned this wording: asked this way again, it answers with this article (/resolve … learn:false or /unlearn undoes it).'
    : "The bot learned this wording, but it is still not confident enough to answer it with this article (its words are far from the article's): consider an `asked:` phrasing or a sentence in the article.";
}

function exportedNote(removed: LearnedPhrasingRow[]): string {
  const exported = removed.filter((row) => row.exportedAt !== null).length;
  return exported > 0 ? ` ${exported} of them were already exported to the knowledge files: remove them from the article's \`asked:\` list too.` : '';
}

/** Forgets the phrasings a question's resolve taught the bot. */
export async function unlearnQuestion(ctx: BotContext, questionId: number, editorId: string): Promise<MessageReply> {
  const group = await ctx.editorial.store.get(questionId);
  if (!group) return noSuchQuestion(questionId);
  const removed = await ctx.editorial.store.unlearn(questionId);
  await ctx.editorial.learned?.sync({ force: true });
  if (removed.length === 0)
    return privateMessage(`Question #${questionId} ${quoteMemberText(group.question)} taught the bot nothing.`, { outcome: 'not_learned' });
  ctx.logger.info({ event: 'question.unlearned', questionId, phrasings: removed.length, editorId }, 'learned phrasings removed');
  return privateMessage(
    `The bot forgot the ${removed.length} phrasing(s) question #${questionId} ${quoteMemberText(group.question)} taught it; the question stays ${group.status}.${exportedNote(removed)}`,
    { outcome: 'unlearned' },
  );
}

/**
 * Marks a question answered with an article, teaches the bot its wording (unless learn is false), updates the
 * editors' channel and, if configured, tells the askers.
 */
export async function markAnswered(
  ctx: BotContext,
  questionId: number,
  articleText: string,
  editorId: string,
  options: { learn?: boolean } = {},
): Promise<MessageReply> {
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
  const taught = await teach(ctx, questionId, change.group.question, article, editorId, options.learn ?? true);

  const done = `Question #${questionId} ${quoteMemberText(change.group.question)} is marked answered with [${article.title}](${article.url}).`;
  if (change.previousStatus === 'answered' && change.previousSlug === article.slug) {
    return privateMessage(`${done} It already was, so nobody was notified again. ${taught}`, { outcome: 'resolved' });
  }
  if (notify === 'off') {
    return privateMessage(`${done} The members who asked were not told (NOTIFY_ASKERS is off). ${taught}`, { outcome: 'resolved' });
  }
  const askers = await store.askers(questionId);
  const sent = await notifyAskers({ mode: notify, messenger, group: change.group, askers, article, logger: ctx.logger });
  const how = notify === 'dm' ? 'by direct message' : 'in the channel where they asked';
  const problems = [sent.failed > 0 && `${sent.failed} could not be reached`, sent.skipped > 0 && `${sent.skipped} skipped`].filter(Boolean);
  return privateMessage(
    `${done} Told ${sent.notified} of ${askers.length} member(s) ${how}${problems.length > 0 ? ` (${problems.join(', ')})` : ''}. ${taught}`,
    {
      outcome: 'resolved',
    },
  );
}

export async function dismissQuestion(ctx: BotContext, questionId: number, editorId: string): Promise<MessageReply> {
  const change = await ctx.editorial.store.setStatus(questionId, { status: 'dismissed', editorId });
  if (!change) return noSuchQuestion(questionId);
  // A dismissed question teaches nothing (it may have been resolved, and learned, before).
  if ((await ctx.editorial.store.unlearn(questionId)).length > 0) await ctx.editorial.learned?.sync({ force: true });
  await ctx.editorial.editorsChannel?.refresh(questionId);
  ctx.logger.info({ event: 'question.dismissed', questionId, editorId }, 'question dismissed');
  return privateMessage(`Question #${questionId} ${quoteMemberText(change.group.question)} is dismissed.`, { outcome: 'dismissed' });
}
