import { ApplicationCommandOptionType } from 'discord.js';
import { defineCommand, privateMessage } from '../src/discord/command.js';
import { unlearnQuestion } from '../src/discord/editorial/editor-actions.js';
import { EDITORS_ONLY, editorCommand, isEditor } from '../src/discord/permissions.js';

/** Editors: forget what resolving a question taught the bot; the question stays resolved. */
export const unlearn = defineCommand({
  definition: editorCommand({
    name: 'unlearn',
    description: 'Editors: make the bot forget the wording a resolved question taught it (the question stays resolved)',
    options: [
      {
        type: ApplicationCommandOptionType.Integer,
        name: 'id',
        description: 'The question id, from /unanswered or the editors channel',
        required: true,
        min_value: 1,
      },
    ],
  }),
  defer: { when: 'auto', ephemeral: true },
  execute(input, ctx) {
    // default_member_permissions hides the command, but a server admin can re-grant it: the handler checks too.
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(EDITORS_ONLY, { outcome: 'forbidden' });
    return unlearnQuestion(ctx, input.options.id, input.userId);
  },
});
