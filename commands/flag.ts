import { ApplicationCommandOptionType } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../src/engine/question.js';
import { defineCommand, privateMessage } from '../src/discord/command.js';
import { CUSTOM_IDS, MODAL_FIELDS, answerFromArgs } from '../src/discord/custom-ids.js';
import { MAX_FLAG_NOTE_CHARS, renderFlagModal } from '../src/discord/render.js';
import { questionOnMessage, reportFlag, reportedBy } from '../src/discord/reporting.js';

export const flag = defineCommand({
  definition: {
    name: 'flag',
    description: 'Send a question to the VixShield editors (missing, wrong or unclear answers)',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'question',
        description: 'The question the editors should answer',
        required: true,
        min_length: 1,
        max_length: MAX_QUESTION_CHARS,
      },
      { type: ApplicationCommandOptionType.String, name: 'note', description: 'Anything the editors should know', max_length: MAX_FLAG_NOTE_CHARS },
    ],
  },
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    const slowDown = await ctx.editorial.limits.check('flag', input.userId);
    if (slowDown) return privateMessage(slowDown, { outcome: 'rate_limited' });
    const report = { kind: 'flagged', question: input.options.question, ...reportedBy(input), note: input.options.note ?? null } as const;
    return privateMessage(await reportFlag(ctx.sink, report, ctx.logger), { outcome: 'flagged' });
  },
  components: [
    {
      // "Flag for editors" under an answer or a no-answer reply: flag[:a|g:<slug>] opens the modal.
      prefix: CUSTOM_IDS.flag,
      type: 'button',
      defer: { when: 'never' },
      handle: (input) => ({ type: 'modal', modal: renderFlagModal(questionOnMessage(input), input.args) }),
    },
    {
      prefix: CUSTOM_IDS.flagModal,
      type: 'modal',
      defer: { when: 'auto', ephemeral: true },
      async handle(input, ctx) {
        const slowDown = await ctx.editorial.limits.check('flag', input.userId);
        if (slowDown) return privateMessage(slowDown, { outcome: 'rate_limited' });
        const report = {
          kind: 'flagged',
          question: input.fields[MODAL_FIELDS.question] ?? '',
          ...reportedBy(input),
          ...answerFromArgs(input.args),
          note: input.fields[MODAL_FIELDS.note] || null,
        } as const;
        return privateMessage(await reportFlag(ctx.sink, report, ctx.logger), { outcome: 'flagged' });
      },
    },
  ],
});
