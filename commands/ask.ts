import { ApplicationCommandOptionType } from 'discord.js';
import type { UnansweredReason } from '../src/engine/engine.js';
import { MAX_QUESTION_CHARS } from '../src/engine/question.js';
import { defineCommand, privateMessage } from '../src/discord/command.js';
import { renderAnswer, renderUnanswered, type UnansweredReport } from '../src/discord/render.js';
import { reportedBy } from '../src/discord/reporting.js';
import { vote } from './vote.js';

/** Mistakes in the input itself: the member is told how to ask, and the editors are not bothered. */
const INPUT_PROBLEMS: ReadonlySet<UnansweredReason> = new Set(['empty', 'too_long']);

export const ask = defineCommand({
  definition: {
    name: 'ask',
    description: 'Ask about options and volatility; answers come from the VixShield knowledge base',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'Your question, e.g. "What is an iron condor?"',
        required: true,
        min_length: 1,
        max_length: MAX_QUESTION_CHARS,
      },
      { type: ApplicationCommandOptionType.Boolean, name: 'private', description: 'Only you see the answer (default: everyone in the channel)' },
    ],
  },
  defer: { when: 'auto', ephemeral: (input) => input.options.private === true },
  async execute(input, ctx) {
    const slowDown = await ctx.editorial.limits.check('ask', input.userId);
    if (slowDown) return privateMessage(slowDown, { outcome: 'rate_limited' });
    const engine = ctx.engine();
    const { question } = input.options;
    const result = engine.ask(question);
    if (result.status === 'answered' && result.answer) {
      const { slug, kind, confidence } = result.answer;
      // A private answer is counted, but its words are the member's alone: /faq never shows them (no question text).
      const featurable = input.options.private !== true;
      await ctx.editorial.asks.recordAsk({
        status: 'answered',
        slug,
        kind,
        confidence,
        guildId: input.guildId,
        ...(featurable ? { question: result.question } : {}),
      });
      return { ...renderAnswer(result.question, result.answer), ephemeral: input.options.private === true, outcome: 'answered' };
    }
    const articleUrl = (slug: string) => engine.kb.articleBySlug.get(slug)?.url;
    if (result.reason && INPUT_PROBLEMS.has(result.reason)) return { ...renderUnanswered(result, articleUrl, null), outcome: 'rejected' };
    await ctx.editorial.asks.recordAsk({ status: 'unanswered', confidence: result.confidence, guildId: input.guildId });
    const [top] = result.results;
    const bestGuess = top ? { kind: top.kind, slug: top.slug, title: top.title } : null;
    // Write before you reply: the member hears that the editors have it only once the store has it (or that it
    // waits for the store, or that it could not be recorded; the answer itself never depends on the store).
    let report: UnansweredReport;
    try {
      report = await ctx.sink.report({ kind: 'unanswered', question, ...reportedBy(input), confidence: result.confidence, bestGuess });
    } catch (error) {
      ctx.logger.error({ event: 'ask.not_recorded', err: error }, 'could not record an unanswered question');
      report = 'not_recorded';
    }
    return { ...renderUnanswered(result, articleUrl, report), outcome: 'unanswered' };
  },
  components: [vote],
});
