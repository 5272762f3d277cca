import { SlashCommandBuilder } from 'discord.js';
import { articlesUsingTerm } from '../src/engine/answer.js';
import type { Engine } from '../src/engine/engine.js';
import type { GlossaryTerm } from '../src/knowledge/types.js';
import { privateMessage, type CommandModule, type MessageReply } from '../src/discord/command.js';
import { MAX_CHOICE_NAME } from '../src/discord/limits.js';
import { CUSTOM_IDS, escapeMemberText, renderGlossaryTerm, renderNoGlossaryTerm, truncate } from '../src/discord/render.js';

function termReply(engine: Engine, term: GlossaryTerm, note?: string): MessageReply {
  const related = term.related.flatMap((slug) => engine.kb.glossaryBySlug.get(slug) ?? []);
  return renderGlossaryTerm(term, articlesUsingTerm(engine.kb, term.slug), related, note);
}

export const glossary: CommandModule = {
  definition: new SlashCommandBuilder()
    .setName('glossary')
    .setDescription('Look up a term in the VixShield glossary')
    .addStringOption((option) =>
      option.setName('term').setDescription('The term, e.g. "iron condor"').setRequired(true).setAutocomplete(true).setMaxLength(MAX_CHOICE_NAME),
    ),
  // Answers from memory: the member picked a choice (its value is the slug) or typed free text.
  autocomplete: (input, ctx) => ctx.engine().glossary.complete(input.focused.value),
  execute(input, ctx) {
    const engine = ctx.engine();
    const query = String(input.options.term ?? '');
    const found = engine.glossary.lookup(query);
    if (!found.term) return { ...renderNoGlossaryTerm(query, found.suggestions), outcome: 'no_term' };
    const note = found.match === 'exact' ? undefined : `Closest match for "${truncate(escapeMemberText(query), 200)}":`;
    return { ...termReply(engine, found.term, note), outcome: `term_${found.match}` };
  },
  components: [
    {
      // A related term or "did you mean" button: term:<slug>. Shown privately, so clicks do not fill the channel.
      prefix: CUSTOM_IDS.glossaryTerm,
      type: 'button',
      handle(input, ctx) {
        const engine = ctx.engine();
        const term = engine.kb.glossaryBySlug.get(input.args[0] ?? '');
        if (!term) return privateMessage('That term is no longer in the glossary. Try /glossary.', { outcome: 'no_term' });
        return { ...termReply(engine, term), ephemeral: true, outcome: 'term' };
      },
    },
  ],
};
