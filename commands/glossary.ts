import { ApplicationCommandOptionType } from 'discord.js';
import { articlesUsingTerm } from '../src/engine/answer.js';
import type { Engine } from '../src/engine/engine.js';
import type { GlossaryTerm } from '../src/knowledge/types.js';
import { defineCommand, privateMessage, type MessageReply } from '../src/discord/command.js';
import { CUSTOM_IDS } from '../src/discord/custom-ids.js';
import { MAX_CHOICE_NAME } from '../src/discord/limits.js';
import { closestMatchNote, renderGlossaryTerm, renderNoGlossaryTerm } from '../src/discord/render.js';

function termReply(engine: Engine, term: GlossaryTerm, note?: string): MessageReply {
  const related = term.related.flatMap((slug) => engine.kb.glossaryBySlug.get(slug) ?? []);
  return renderGlossaryTerm(term, articlesUsingTerm(engine.kb, term.slug), related, note);
}

export const glossary = defineCommand({
  definition: {
    name: 'glossary',
    description: 'Look up a term in the VixShield glossary',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'term',
        description: 'The term, e.g. "iron condor"',
        required: true,
        autocomplete: true,
        max_length: MAX_CHOICE_NAME,
      },
    ],
  },
  // Answers from memory: the member picked a choice (its value is the slug) or typed free text.
  autocomplete: (input, ctx) => ctx.engine().glossary.complete(input.focused.value),
  execute(input, ctx) {
    const engine = ctx.engine();
    const query = input.options.term;
    const found = engine.glossary.lookup(query);
    if (!found.term) return { ...renderNoGlossaryTerm(query, found.suggestions), outcome: 'no_term' };
    const note = found.match === 'exact' ? undefined : closestMatchNote(query);
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
});
