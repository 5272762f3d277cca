import { ApplicationCommandOptionType } from 'discord.js';
import { defineCommand, privateMessage, type ComponentHandler, type MessageReply } from '../src/discord/command.js';
import { CUSTOM_IDS, MODAL_FIELDS, questionIdFromArgs } from '../src/discord/custom-ids.js';
import { articleChoices, dismissQuestion, markAnswered } from '../src/discord/editorial/editor-actions.js';
import { renderAnswerModal } from '../src/discord/editorial/render.js';
import { EDITORS_ONLY, NOT_AN_EDITOR, editorCommand, isEditor } from '../src/discord/permissions.js';

const NOT_A_QUESTION: MessageReply = privateMessage('This button does not name a question. Use /resolve with the question id.', { outcome: 'not_found' });

/** Editors' channel: "Mark answered (link article)" opens a modal asking for the article, pre-filled with the bot's guess. */
const answerButton: ComponentHandler = {
  prefix: CUSTOM_IDS.editorsAnswer,
  type: 'button',
  defer: { when: 'never' },
  async handle(input, ctx) {
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(NOT_AN_EDITOR, { outcome: 'forbidden' });
    const questionId = questionIdFromArgs(input.args);
    if (questionId === null) return NOT_A_QUESTION;
    const group = await ctx.editorial.store.get(questionId);
    const guess = group?.latestGuess?.kind === 'article' ? group.latestGuess.slug : undefined;
    return { type: 'modal', modal: renderAnswerModal(questionId, guess) };
  },
};

const answerModal: ComponentHandler = {
  prefix: CUSTOM_IDS.editorsAnswerModal,
  type: 'modal',
  defer: { when: 'auto', ephemeral: true },
  handle(input, ctx) {
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(NOT_AN_EDITOR, { outcome: 'forbidden' });
    const questionId = questionIdFromArgs(input.args);
    if (questionId === null) return NOT_A_QUESTION;
    // As /resolve does by default: the bot learns the question's wording (/unlearn undoes it).
    return markAnswered(ctx, questionId, input.fields[MODAL_FIELDS.article] ?? '', input.userId, { learn: true });
  },
};

const dismissButton: ComponentHandler = {
  prefix: CUSTOM_IDS.editorsDismiss,
  type: 'button',
  defer: { when: 'auto', ephemeral: true },
  handle(input, ctx) {
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(NOT_AN_EDITOR, { outcome: 'forbidden' });
    const questionId = questionIdFromArgs(input.args);
    if (questionId === null) return NOT_A_QUESTION;
    return dismissQuestion(ctx, questionId, input.userId);
  },
};

export const resolve = defineCommand({
  definition: editorCommand({
    name: 'resolve',
    description: 'Editors: mark a question answered with the article that now answers it',
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'id',
        description: 'The question id, from /unanswered or the editors channel',
        required: true,
        min_value: 1,
      },
      { type: ApplicationCommandOptionType.String, name: 'article', description: 'The article that answers it', required: true, autocomplete: true },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'learn',
        description: "Teach the bot the question's wording for this article (default: true; false forgets what it taught)",
      },
    ],
  }),
  defer: { when: 'auto', ephemeral: true },
  execute(input, ctx) {
    // default_member_permissions hides the command, but a server admin can re-grant it: the handler checks too.
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(EDITORS_ONLY, { outcome: 'forbidden' });
    return markAnswered(ctx, input.options.id, input.options.article, input.userId, { learn: input.options.learn ?? true });
  },
  autocomplete(input, ctx) {
    return input.focused.name === 'article' ? articleChoices(ctx.engine(), input.focused.value) : [];
  },
  components: [answerButton, answerModal, dismissButton],
});
