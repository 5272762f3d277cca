/** The command modules called directly with plain input and a real context: no Discord, no mocks. */
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../commands/ask.js';
import { VOTE_NOT_STORED, VOTE_NOT_STORED_BUT_NOTED, VOTE_QUEUED, VOTE_UNKNOWN_ANSWER, voteMessage } from '../../commands/vote.js';
import { flag } from '../../commands/flag.js';
import { glossary } from '../../commands/glossary.js';
import type { BotContext, CommandInput, CommandModule, ComponentHandler, ComponentInput, MessageReply, Reply } from '../../src/discord/command.js';
import type { CommandDefinition } from '../../src/discord/definition.js';
import { NOT_RECORDED_FOR_EDITORS, NOTED_FOR_EDITORS, PASSED_TO_EDITORS, questionLine } from '../../src/discord/render.js';
import { FLAG_NOT_RECORDED, THANKS_NOTED_FOR_EDITORS, THANKS_PASSED_TO_EDITORS } from '../../src/discord/reporting.js';
import { InteractionRouter } from '../../src/discord/router.js';
import { createLogger } from '../../src/log.js';
import { createEditorial } from '../../src/discord/editorial/editorial.js';
import type { QuestionReport, QuestionSink, ReportOutcome } from '../../src/questions/sink.js';
import type { QuestionStore } from '../../src/questions/store.js';
import { TEST_SETTINGS, sharedKnowledge } from '../support/bot-harness.js';
import { MemoryQuestionSink } from '../support/memory-sink.js';
import { recordingMessenger, tempStore } from '../questions/helpers.js';

const invoker = {
  interactionId: '1',
  userId: '1400000000000000001',
  userName: 'member',
  guildId: '1200000000000000001',
  channelId: '1300000000000000001',
  locale: 'en-US',
  memberPermissions: null,
  roleIds: [],
};

/** The input of a command with these options; `module` ties them to its definition, so a typo does not compile. */
function command<D extends CommandDefinition>(module: CommandModule<D>, options: CommandInput<D>['options']): CommandInput<D> {
  return { ...invoker, command: module.definition.name, options };
}

function component(customId: string, content: string, fields: Record<string, string> = {}): ComponentInput {
  const [, ...args] = customId.split(':');
  return { ...invoker, customId, args, message: { id: '9', content, embeds: [], ephemeral: false }, fields };
}

function handler(module: CommandModule, prefix: string): ComponentHandler {
  return module.components!.find((candidate) => candidate.prefix === prefix)!;
}

function asMessage(reply: Reply): MessageReply {
  if (reply.type !== 'message') throw new Error(`expected a message, got a ${reply.type}`);
  return reply;
}

let store: ReturnType<typeof tempStore>;
let sink: MemoryQuestionSink;
let context: (sink?: QuestionSink) => BotContext;

beforeAll(async () => {
  const knowledge = await sharedKnowledge();
  store = tempStore();
  const logger = createLogger({ level: 'silent' });
  const { editorial } = createEditorial({
    settings: TEST_SETTINGS,
    store: store.store,
    logger,
    engine: () => knowledge.current(),
    messenger: recordingMessenger().messenger,
    knowledge,
  });
  sink = new MemoryQuestionSink();
  context = (other = sink) => ({ engine: () => knowledge.current(), knowledge, sink: other, editorial, logger });
});

afterAll(() => store?.cleanup());

describe('/ask', () => {
  it('reports an unanswered question before it replies that the question was passed on', async () => {
    let release!: () => void;
    const reported: QuestionReport[] = [];
    const slowSink: QuestionSink = {
      report(report) {
        reported.push(report);
        return new Promise<ReportOutcome>((resolve) => (release = () => resolve({ questionId: 1, isNew: true, count: 1 })));
      },
    };
    let replied = false;
    const reply = Promise.resolve(ask.execute(command(ask, { question: 'What is the best pizza in Naples?' }), context(slowSink))).then((r) => {
      replied = true;
      return r;
    });
    await expect.poll(() => reported.length).toBe(1);
    expect(replied).toBe(false);
    release();
    expect(asMessage(await reply).content).toContain(PASSED_TO_EDITORS);
  });

  it('says plainly that the question could not be recorded when nothing could take it, and still replies', async () => {
    const failing: QuestionSink = { report: () => Promise.reject(new Error('disk full')) };
    const reply = asMessage(await ask.execute(command(ask, { question: 'What is the best pizza in Naples?' }), context(failing)));
    expect(reply).toMatchObject({ ephemeral: true, outcome: 'unanswered' });
    expect(reply.content).toContain(NOT_RECORDED_FOR_EDITORS);
    expect(reply.content).not.toContain(PASSED_TO_EDITORS);
  });

  it('says the editors will see it shortly when the report was queued for the store', async () => {
    const queuing: QuestionSink = { report: async () => ({ queued: true, reportId: 'r1' }) };
    const reply = asMessage(await ask.execute(command(ask, { question: 'What is the best pizza in Naples?' }), context(queuing)));
    expect(reply.content).toContain(NOTED_FOR_EDITORS);
    expect(reply.content).not.toContain(PASSED_TO_EDITORS);
  });

  it('tells the member how to ask when the question is blank, without bothering the editors', async () => {
    const before = sink.reports.length;
    const reply = asMessage(await ask.execute(command(ask, { question: ' \u200b ' }), context()));
    expect(reply).toMatchObject({ ephemeral: true, outcome: 'rejected' });
    expect(reply.content).not.toContain(PASSED_TO_EDITORS);
    expect(sink.reports).toHaveLength(before);
  });
});

describe('votes', () => {
  const question = 'Is **this** _the_ answer?';
  let slug: string;
  let otherContext: (store: QuestionStore, other?: QuestionSink) => BotContext;

  beforeAll(async () => {
    const knowledge = await sharedKnowledge();
    slug = knowledge.current().kb.articles[0]!.slug;
    otherContext = (other, otherSink = sink) => {
      const logger = createLogger({ level: 'silent' });
      const { editorial } = createEditorial({
        settings: TEST_SETTINGS,
        store: other,
        logger,
        engine: () => knowledge.current(),
        messenger: recordingMessenger().messenger,
        knowledge,
      });
      return { engine: () => knowledge.current(), knowledge, sink: otherSink, editorial, logger };
    };
  });

  /** The real store with one method replaced. */
  function storeWith(override: Partial<QuestionStore>): QuestionStore {
    return Object.assign(Object.create(store.store) as QuestionStore, override);
  }

  it('"Not helpful" stores the vote, then reports the question read back from the message with the answer it got', async () => {
    const reply = asMessage(await handler(ask, 'vote').handle(component(`vote:down:a:${slug}`, questionLine(question)), context()));
    expect(reply).toMatchObject({ content: voteMessage('not_helpful', null, true), ephemeral: true, outcome: 'not_helpful' });
    expect(sink.reports.at(-1)).toMatchObject({ kind: 'not_helpful', question, answeredSlug: slug, answeredKind: 'article' });
    expect(await store.store.voteOf({ kind: 'article', slug, question }, invoker.userId)).toBe('not_helpful');
  });

  it('finds the answer from the embed link when the custom_id has no slug', async () => {
    const article = (await sharedKnowledge()).current().kb.articles[1]!;
    const input = {
      ...component('vote:up', questionLine(question)),
      message: { id: '9', content: questionLine(question), embeds: [{ title: article.title, url: article.url }], ephemeral: false },
    };
    const reply = asMessage(await handler(ask, 'vote').handle(input, context()));
    expect(reply.content).toBe(voteMessage('helpful', null));
    expect(await store.store.voteOf({ kind: 'article', slug: article.slug, question }, invoker.userId)).toBe('helpful');
  });

  it('counts nothing for an answer the knowledge base no longer has', async () => {
    const before = sink.reports.length;
    const reply = asMessage(await handler(ask, 'vote').handle(component('vote:down:a:no-such-article', questionLine(question)), context()));
    expect(reply).toMatchObject({ content: VOTE_UNKNOWN_ANSWER, outcome: 'unknown_answer' });
    expect(sink.reports).toHaveLength(before);
    expect(await store.store.voteOf({ kind: 'article', slug: 'no-such-article', question }, invoker.userId)).toBeNull();
  });

  it('says the vote was not counted when the store fails; a "not helpful" still goes to the editors (queued while the store fails)', async () => {
    const before = sink.reports.length;
    const failing = storeWith({ vote: () => Promise.reject(new Error('disk full')) });
    const reply = asMessage(await handler(ask, 'vote').handle(component(`vote:up:g:vega`, questionLine('What is vega, really?')), otherContext(failing)));
    expect(reply).toMatchObject({ content: VOTE_NOT_STORED, outcome: 'vote_failed' });
    const down = asMessage(await handler(ask, 'vote').handle(component(`vote:down:g:vega`, questionLine('What is vega, really?')), otherContext(failing)));
    expect(down.content).toBe(VOTE_NOT_STORED_BUT_NOTED);
    expect(sink.reports.slice(before).map((report) => [report.kind, report.answeredSlug])).toEqual([['not_helpful', 'vega']]);
    expect(await store.store.voteOf({ kind: 'glossary', slug: 'vega', question: 'What is vega, really?' }, invoker.userId)).toBeNull();
  });

  it('says the editors will see a "not helpful" shortly when the report was queued for the store', async () => {
    const queuing: QuestionSink = { report: async () => ({ queued: true, reportId: 'r1' }) };
    const reply = asMessage(await handler(ask, 'vote').handle(component(`vote:down:g:vega`, questionLine('What is vega, again?')), context(queuing)));
    expect(reply.content).toBe(voteMessage('not_helpful', null, 'queued'));
    expect(reply.content).toContain(VOTE_QUEUED);
  });

  it("says the vote is noted but not passed on when only the editors' queue fails", async () => {
    const failingSink: QuestionSink = { report: () => Promise.reject(new Error('disk full')) };
    const reply = asMessage(await handler(ask, 'vote').handle(component(`vote:down:g:vega`, questionLine('What is vega, then?')), context(failingSink)));
    expect(reply.content).toBe(voteMessage('not_helpful', null, false));
    expect(reply.content).not.toContain('The editors have');
    expect(await store.store.voteOf({ kind: 'glossary', slug: 'vega', question: 'What is vega, then?' }, invoker.userId)).toBe('not_helpful');
  });
});

describe('/glossary', () => {
  it('autocompletes at most 25 slugs, even for one letter', async () => {
    const choices = await glossary.autocomplete!({ ...command(glossary, { term: 's' }), focused: { name: 'term', value: 's' } }, context());
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
  });

  it('says which term it chose for free text that is not exact', async () => {
    const reply = asMessage(await glossary.execute(command(glossary, { term: 'straddel' }), context()));
    expect(reply.content).toContain('Closest match for "straddel"');
    expect(reply.embeds).toHaveLength(1);
  });
});

describe('flagging', () => {
  it('the flag button opens a modal pre-filled with the question of the message', async () => {
    const question = 'Why is __VIX__ > 30?';
    const reply = await handler(flag, 'flag').handle(component('flag', `${questionLine(question)}\n\nI don't have a confident answer`), context());
    expect(reply.type).toBe('modal');
    if (reply.type !== 'modal') return;
    expect(reply.modal.custom_id).toBe('flag-note');
    const inputs = reply.modal.components.flatMap((label) => ('component' in label ? [label.component] : []));
    expect(inputs[0]).toMatchObject({ custom_id: 'question', value: question });
  });

  it('the modal submit reports the edited question and the note', async () => {
    const reply = asMessage(
      await handler(flag, 'flag-note').handle(component('flag-note:g:vix', '', { question: 'What moves the VIX?', note: 'too short' }), context()),
    );
    expect(reply).toMatchObject({ content: THANKS_PASSED_TO_EDITORS, ephemeral: true });
    expect(sink.reports.at(-1)).toMatchObject({
      kind: 'flagged',
      question: 'What moves the VIX?',
      note: 'too short',
      answeredSlug: 'vix',
      answeredKind: 'glossary',
    });
  });

  it('tells the truth when the store cannot take the flag: noted when queued, "could not be recorded" when nothing took it', async () => {
    const queuing: QuestionSink = { report: async () => ({ queued: true, reportId: 'r1' }) };
    const failing: QuestionSink = { report: () => Promise.reject(new Error('disk full')) };
    const queued = asMessage(await flag.execute(command(flag, { question: 'Do you cover VIX ETNs?' }), context(queuing)));
    expect(queued).toMatchObject({ content: THANKS_NOTED_FOR_EDITORS, ephemeral: true, outcome: 'flagged' });
    const lost = asMessage(
      await handler(flag, 'flag-note').handle(component('flag-note', '', { question: 'Do you cover VIX ETNs?', note: '' }), context(failing)),
    );
    expect(lost).toMatchObject({ content: FLAG_NOT_RECORDED, ephemeral: true });
  });

  it('/flag without a note stores none', async () => {
    await flag.execute(command(flag, { question: 'Do you cover VIX ETNs?' }), context());
    expect(sink.reports.at(-1)).toMatchObject({ kind: 'flagged', question: 'Do you cover VIX ETNs?', note: null });
  });
});

describe('InteractionRouter', () => {
  const definition = (name: string) => ({ name, description: name });
  const noop = () => ({ type: 'message' as const, content: '' });

  it('refuses two commands with one name, and two handlers with one custom_id prefix', () => {
    expect(() => new InteractionRouter([ask, ask], context(), { rest: new REST() })).toThrow('two command modules are named /ask');
    const stray = { definition: definition('other'), execute: noop, components: [{ prefix: 'vote', type: 'button' as const, handle: noop }] };
    expect(() => new InteractionRouter([ask, stray], context(), { rest: new REST() })).toThrow('custom_id prefix "vote" is used twice');
  });
});
