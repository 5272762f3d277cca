import { ApplicationCommandOptionType } from 'discord.js';
import { defineCommand, privateMessage } from '../src/discord/command.js';
import { faqChoices, faqFilter, renderFaq } from '../src/discord/faq.js';
import { EDITORS_ONLY, editorCommand, isEditor } from '../src/discord/permissions.js';
import { quoteMemberText } from '../src/discord/text.js';
import { featuredQuestions } from '../src/questions/faq.js';

/** Members: the most asked questions the bot answers well, each with its article. */
export const faq = defineCommand({
  definition: {
    name: 'faq',
    description: 'The most asked questions the bot answers well, each with its article',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'topic',
        description: 'Only questions about this (words of the question or article)',
        max_length: 100,
      },
    ],
  },
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    const engine = ctx.engine();
    const topic = input.options.topic?.trim() || undefined;
    const entries = featuredQuestions(await ctx.editorial.store.faqCandidates(), { include: faqFilter(engine, topic) });
    return renderFaq(entries, (slug) => engine.kb.articleBySlug.get(slug), topic);
  },
});

const ACTIONS = { pin: 'pinned', hide: 'hidden', reset: null } as const;

/** Editors: pin an entry at the top of /faq, hide it, or leave it to the rule again. */
export const faqEdit = defineCommand({
  definition: editorCommand({
    name: 'faq-edit',
    description: 'Editors: pin a question at the top of /faq, hide it, or reset it',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'entry', description: 'The question (start typing to pick it)', required: true, autocomplete: true },
      {
        type: ApplicationCommandOptionType.String,
        name: 'action',
        description: 'What to do with it',
        required: true,
        choices: [
          { name: 'pin', value: 'pin' },
          { name: 'hide', value: 'hide' },
          { name: 'reset', value: 'reset' },
        ],
      },
    ],
  }),
  defer: { when: 'auto', ephemeral: true },
  async execute(input, ctx) {
    // default_member_permissions hides the command, but a server admin can re-grant it: the handler checks too.
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return privateMessage(EDITORS_ONLY, { outcome: 'forbidden' });
    const { store } = ctx.editorial;
    const entry = (await store.faqCandidates()).find((candidate) => candidate.key === input.options.entry.trim());
    if (!entry) return privateMessage('There is no such /faq entry: pick one from the list as you type.', { outcome: 'not_found' });
    const state = ACTIONS[input.options.action];
    await store.setFaqState(entry, state, input.userId);
    ctx.logger.info({ event: 'faq.edited', slug: entry.slug, state, editorId: input.userId }, 'faq entry edited');
    const what = state === 'pinned' ? 'is pinned at the top of /faq' : state === 'hidden' ? 'is hidden from /faq' : 'is featured by the usual rule again';
    return privateMessage(`${quoteMemberText(entry.question)} (\`${entry.slug}\`) ${what}.`, { outcome: 'faq_edited' });
  },
  async autocomplete(input, ctx) {
    // Hidden entries are listed here: only for editors.
    if (!isEditor(input, ctx.editorial.editorRoleIds)) return [];
    return faqChoices(await ctx.editorial.store.faqCandidates(), input.focused.value);
  },
});
