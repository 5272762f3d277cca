import { SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../src/engine/question.js';
import { privateMessage, type CommandModule } from '../src/discord/command.js';
import { CUSTOM_IDS, FLAG_FIELDS, MAX_FLAG_NOTE_CHARS, answerFromArgs, renderFlagModal } from '../src/discord/render.js';
import { THANKS_PASSED_TO_EDITORS, questionOnMessage, reportedBy } from '../src/discord/reporting.js';

export const flag: CommandModule = {
  definition: new SlashCommandBuilder()
    .setName('flag')
    .setDescription('Send a question to the VixShield editors (missing, wrong or unclear answers)')
    .addStringOption((option) =>
      option.setName('question').setDescription('The question the editors should answer').setRequired(true).setMinLength(1).setMaxLength(MAX_QUESTION_CHARS),
    )
    .addStringOption((option) => option.setName('note').setDescription('Anything the editors should know').setMaxLength(MAX_FLAG_NOTE_CHARS)),
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    const slowDown = ctx.editorial.limits.check('flag', input.userId);
    if (slowDown) return privateMessage(slowDown, { outcome: 'rate_limited' });
    const note = input.options.note;
    await ctx.sink.report({
      kind: 'flagged',
      question: String(input.options.question ?? ''),
      ...reportedBy(input),
      note: typeof note === 'string' ? note : null,
    });
    return privateMessage(THANKS_PASSED_TO_EDITORS, { outcome: 'flagged' });
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
        const slowDown = ctx.editorial.limits.check('flag', input.userId);
        if (slowDown) return privateMessage(slowDown, { outcome: 'rate_limited' });
        await ctx.sink.report({
          kind: 'flagged',
          question: input.fields[FLAG_FIELDS.question] ?? '',
          ...reportedBy(input),
          ...answerFromArgs(input.args),
          note: input.fields[FLAG_FIELDS.note] || null,
        });
        return privateMessage(THANKS_PASSED_TO_EDITORS, { outcome: 'flagged' });
      },
    },
  ],
};
