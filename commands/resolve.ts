import { ComponentType, TextInputStyle } from 'discord.js';
import { customId, privateMessage, type CommandModule, type ComponentHandler } from '../src/discord/command.js';
import { MAX_MODAL_TITLE } from '../src/discord/limits.js';
import { truncate } from '../src/discord/render.js';
import { EDITORS_BUTTON } from '../src/discord/editorial/editors-channel.js';
import { NOT_AN_EDITOR, articleChoices, dismissQuestion, editorCommand, isEditor, markAnswered } from '../src/discord/editorial/editor-actions.js';

/** The text input of the "Mark answered" modal. */
const ARTICLE_FIELD = 'article';

function questionIdOf(args: string[]): number {
  return Number(args[0]);
}

/** Editors' channel: "Mark answered (link article)" opens a modal asking for the article, pre-filled with the bot's guess. */
const answerButton: ComponentHandler = {
  prefix: EDITORS_BUTTON.answer,
  type: 'button',
  defer: { when: 'never' },
  async handle(input, ctx) {
    if (!isEditor(input)) return privateMessage(NOT_AN_EDITOR, { outcome: 'forbidden' });
    const questionId = questionIdOf(input.args);
    const group = await ctx.editorial.store.get(questionId);
    const guess = group?.latestGuess?.kind === 'article' ? group.latestGuess.slug : undefined;
    return {
      type: 'modal',
      modal: {
        custom_id: customId(EDITORS_BUTTON.answerModal, String(questionId)),
        title: truncate(`Mark question #${questionId} answered`, MAX_MODAL_TITLE),
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.TextInput,
                custom_id: ARTICLE_FIELD,
                label: 'Article slug or exact title',
                style: TextInputStyle.Short,
                required: true,
                max_length: 200,
                placeholder: 'e.g. what-is-the-vix',
                ...(guess ? { value: guess } : {}),
              },
            ],
          },
        ],
      },
    };
  },
};

const answerModal: ComponentHandler = {
  prefix: EDITORS_BUTTON.answerModal,
  type: 'modal',
  defer: { when: 'auto', ephemeral: true },
  handle(input, ctx) {
    if (!isEditor(input)) return privateMessage(NOT_AN_EDITOR, { outcome: 'forbidden' });
    return markAnswered(ctx, questionIdOf(input.args), input.fields[ARTICLE_FIELD] ?? '', input.userId);
  },
};

const dismissButton: ComponentHandler = {
  prefix: EDITORS_BUTTON.dismiss,
  type: 'button',
  defer: { when: 'auto', ephemeral: true },
  handle(input, ctx) {
    if (!isEditor(input)) return privateMessage(NOT_AN_EDITOR, { outcome: 'forbidden' });
    return dismissQuestion(ctx, questionIdOf(input.args), input.userId);
  },
};

export const resolve: CommandModule = {
  definition: editorCommand('resolve', 'Editors: mark a question answered with the article that now answers it')
    .addIntegerOption((option) => option.setName('id').setDescription('The question id, from /unanswered or the editors channel').setRequired(true).setMinValue(1))
    .addStringOption((option) => option.setName('article').setDescription('The article that answers it').setRequired(true).setAutocomplete(true)),
  defer: { when: 'auto', ephemeral: true },
  execute(input, ctx) {
    return markAnswered(ctx, Number(input.options.id), String(input.options.article ?? ''), input.userId);
  },
  autocomplete(input, ctx) {
    return input.focused.name === 'article' ? articleChoices(ctx.engine(), input.focused.value) : [];
  },
  components: [answerButton, answerModal, dismissButton],
};
