/**
 * "Helpful" / "Not helpful" under an answer (custom_id vote:up|down[:a|g:<slug>], the buttons of commands/ask.ts):
 * the member's vote is stored per answer (article or glossary term, question, member), one per member and
 * answer; voting again replaces it and the other button flips it. A vote that becomes "not helpful" also goes to
 * the editors' queue. The member is told only what was actually stored.
 */
import { privateMessage, type ComponentHandler, type ComponentInput } from '../src/discord/command.js';
import { CUSTOM_IDS, answerFromArgs } from '../src/discord/custom-ids.js';
import { questionOnMessage, reportedBy } from '../src/discord/reporting.js';
import type { Engine } from '../src/engine/engine.js';
import { isQueued } from '../src/questions/sink.js';
import type { VoteValue } from '../src/questions/store.js';

export const VOTE_NOT_STORED = 'Sorry, your vote could not be saved just now, so it was not counted. Please try again in a moment.';
export const VOTE_UNKNOWN_ANSWER = 'This answer is no longer in the knowledge base, so the vote was not counted. Ask again for the current answer.';
export const VOTE_PASSED_ON = 'The editors have the question and the answer, so they can improve it.';
export const VOTE_QUEUED = 'The editors will see it shortly, with the question and the answer.';
export const VOTE_NOT_STORED_BUT_NOTED =
  'Sorry, your vote could not be saved just now, so it was not counted; the editors will still see the question and the answer shortly.';
export const VOTE_NOT_PASSED_ON = 'It could not be passed to the editors just now; **Flag for editors** tells them what is wrong.';

const WORDS: Record<VoteValue, string> = { helpful: 'helpful', not_helpful: 'not helpful' };

/** What the member reads once the store has answered: their vote as stored, and (not helpful) whether the editors have it. */
export function voteMessage(value: VoteValue, previous: VoteValue | null, passedOn?: boolean | 'queued'): string {
  if (previous === value) return `You already marked this answer as ${WORDS[value]}; your vote is unchanged.`;
  const noted = previous === null ? `Thanks, noted as ${WORDS[value]}.` : `Thanks, your vote is changed to ${WORDS[value]}.`;
  if (value === 'helpful') return noted;
  return `${noted} ${passedOn === 'queued' ? VOTE_QUEUED : passedOn ? VOTE_PASSED_ON : VOTE_NOT_PASSED_ON}`;
}

/** The answer the button is about, checked against the knowledge base serving now; from the embed's link when the custom_id had no room for the slug. */
function votedAnswer(input: ComponentInput, engine: Engine): { kind: 'article' | 'glossary'; slug: string; title: string } | null {
  const fromArgs = answerFromArgs(input.args.slice(1));
  if (fromArgs) {
    const { answeredKind: kind, answeredSlug: slug } = fromArgs;
    const title = kind === 'article' ? engine.kb.articleBySlug.get(slug)?.title : engine.kb.glossaryBySlug.get(slug)?.term;
    return title === undefined ? null : { kind, slug, title };
  }
  const url = input.message?.embeds[0]?.url;
  if (!url) return null;
  const article = engine.kb.articles.find((candidate) => candidate.url === url);
  if (article) return { kind: 'article', slug: article.slug, title: article.title };
  const term = engine.kb.glossary.find((candidate) => candidate.url === url);
  return term ? { kind: 'glossary', slug: term.slug, title: term.term } : null;
}

export const vote: ComponentHandler = {
  prefix: CUSTOM_IDS.vote,
  type: 'button',
  defer: { when: 'auto', ephemeral: true },
  async handle(input, ctx) {
    const direction = input.args[0];
    if (direction !== 'up' && direction !== 'down') return privateMessage('This button is not a vote.', { outcome: 'not_found' });
    const value: VoteValue = direction === 'up' ? 'helpful' : 'not_helpful';
    const answer = votedAnswer(input, ctx.engine());
    if (!answer) return privateMessage(VOTE_UNKNOWN_ANSWER, { outcome: 'unknown_answer' });
    // A vote on a private answer is stored under the answer's title, not the member's words, which /faq would show.
    const asked = questionOnMessage(input) ?? answer.title;
    const voted = { kind: answer.kind, slug: answer.slug, question: input.message?.ephemeral ? answer.title : asked };
    const { store } = ctx.editorial;
    const failed = (error: unknown) => {
      ctx.logger.error({ event: 'vote.store_failed', err: error, slug: answer.slug, value }, 'could not store a vote');
      return privateMessage(VOTE_NOT_STORED, { outcome: 'vote_failed' });
    };

    let previous: VoteValue | null;
    try {
      previous = await store.voteOf(voted, input.userId);
    } catch (error) {
      return failed(error);
    }
    if (previous === value) return privateMessage(voteMessage(value, previous), { outcome: 'vote_unchanged' });
    // A new "not helpful" reaches the editors' queue, so it counts against the member's flag limit.
    if (value === 'not_helpful') {
      const slowDown = await ctx.editorial.limits.check('flag', input.userId);
      if (slowDown) return privateMessage(slowDown, { outcome: 'rate_limited' });
    }
    const passOn = async (): Promise<boolean | 'queued'> => {
      try {
        const receipt = await ctx.sink.report({
          kind: 'not_helpful',
          // The editors get the member's words, as with every report (they see private questions too).
          question: asked,
          ...reportedBy(input),
          answeredSlug: answer.slug,
          answeredKind: answer.kind,
        });
        return isQueued(receipt) ? 'queued' : true;
      } catch (error) {
        ctx.logger.error({ event: 'vote.report_failed', err: error, slug: answer.slug }, 'could not pass a not-helpful vote to the editors');
        return false;
      }
    };
    try {
      previous = (await store.vote({ ...voted, value, ...reportedBy(input) })).previous;
    } catch (error) {
      // The store is failing: the vote is lost, but the editors' report waits in the spool for it.
      if (value === 'not_helpful' && (await passOn()) !== false) {
        ctx.logger.error({ event: 'vote.store_failed', err: error, slug: answer.slug, value }, 'could not store a vote; the report to the editors is queued');
        return privateMessage(VOTE_NOT_STORED_BUT_NOTED, { outcome: 'vote_failed' });
      }
      return failed(error);
    }
    ctx.logger.info({ event: 'vote.stored', kind: answer.kind, slug: answer.slug, value, previous }, 'vote stored');
    if (value === 'helpful') return privateMessage(voteMessage(value, previous), { outcome: 'helpful' });
    return privateMessage(voteMessage(value, previous, await passOn()), { outcome: 'not_helpful' });
  },
};
