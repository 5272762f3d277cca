import { ButtonStyle, ComponentType } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_IDS } from '../../src/discord/custom-ids.js';
import { EditorsChannel } from '../../src/discord/editorial/editors-channel.js';
import type { Messenger } from '../../src/discord/editorial/messenger.js';
import { channelLink, editorsMessage, type SlugLookup } from '../../src/discord/editorial/render.js';
import { MemberRateLimits, type RateLimitCounter } from '../../src/questions/rate-limit.js';
import { isQueued, type ReportOutcome, type ReportReceipt } from '../../src/questions/sink.js';
import type { QuestionStore } from '../../src/questions/store.js';
import { describeStores } from '../questions/backends.js';
import { EditorialReporter } from '../../src/discord/editorial/reporter.js';
import { memoryLogger, recordingMessenger, tempStore, unanswered } from '../questions/helpers.js';

const lookup: SlugLookup = (slug) => (slug === 'vix-etps' ? { title: 'VIX ETPs explained', url: 'https://vixshield.example/vix-etps' } : null);

let env: ReturnType<typeof tempStore>;
beforeEach(() => {
  env = tempStore();
});
afterEach(() => env.cleanup());

/** The store's outcome of a report the test expects to be stored (not queued). */
function stored(receipt: ReportReceipt): ReportOutcome {
  if (isQueued(receipt)) throw new Error('the report was queued, not stored');
  return receipt;
}

/** An editors' channel and reporter on `store`, as one bot process has them; `counter` counts the post cap's hits. */
function setup(store: QuestionStore, postsPerMember = 10, counter?: RateLimitCounter, recorder = recordingMessenger()) {
  const { logger, lines } = memoryLogger();
  const limits = new MemberRateLimits({ ask: null, flag: null, editorialPosts: { max: postsPerMember, windowMs: 3_600_000 } }, { counter });
  const channel = new EditorsChannel({ channelId: 'editors', messenger: recorder.messenger, store, limits, logger, lookup: () => lookup });
  return { ...recorder, lines, channel, reporter: new EditorialReporter(store, logger, channel) };
}

describe('editorsMessage', () => {
  it('shows the count, the asker, a channel link, the best guess and the two buttons', async () => {
    const { questionId } = await env.store.report(
      unanswered('Can I [click](http://evil) *this*?', 'u1', {
        guildId: 'g9',
        channelId: 'c9',
        bestGuess: { kind: 'article', slug: 'vix-etps', title: 'VIX ETPs explained', confidence: 0.31 },
      }),
    );
    await env.store.report(unanswered('Can I click (http://evil) this', 'u2', { kind: 'flagged', note: 'no answer' }));
    const message = editorsMessage((await env.store.get(questionId))!, lookup);
    const [embed] = message.embeds!;
    expect(embed?.title).toBe('Open question #1');
    expect(embed?.description).toBe('> Can I \\[click](http://evil) \\*this\\*?');
    expect(embed?.fields).toEqual([
      { name: 'Asked', value: '2 reports by 2 members (1 unanswered, 1 flagged)', inline: true },
      { name: 'First asked by', value: `<@u1> in ${channelLink('g9', 'c9')}`, inline: true },
      { name: "The bot's best guess", value: '[VIX ETPs explained](https://vixshield.example/vix-etps) (not confident enough to answer, confidence 0.31)' },
    ]);
    expect(channelLink('g9', 'c9')).toBe('https://discord.com/channels/g9/c9');
    expect(message.components).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Mark answered (link article)', custom_id: `${CUSTOM_IDS.editorsAnswer}:1` },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Dismiss', custom_id: `${CUSTOM_IDS.editorsDismiss}:1` },
        ],
      },
    ]);
  });

  it('drops the buttons and names the editor once the question is dealt with', async () => {
    const { questionId } = await env.store.report(unanswered('What are VIX ETPs?'));
    const change = await env.store.setStatus(questionId, { status: 'answered', articleSlug: 'vix-etps', editorId: 'ed1' });
    const message = editorsMessage(change!.group, lookup);
    expect(message.embeds?.[0]?.title).toBe('Answered #1');
    expect(message.embeds?.[0]?.fields?.at(-1)).toEqual({ name: 'Answered with', value: '[VIX ETPs explained](https://vixshield.example/vix-etps) by <@ed1>' });
    expect(message.components).toEqual([]);
  });
});

describeStores('EditorsChannel', (env, backend) => {
  it('posts a new question once and edits the same message for each repeat', async () => {
    const { reporter, channel, sent, edits } = setup(env.store, 10, env.rateLimitCounter());
    const first = stored(await reporter.report(unanswered('What is VVIX?', 'u1')));
    await channel.idle();
    await reporter.report(unanswered('what is vvix', 'u2'));
    await reporter.report(unanswered('What is VVIX??', 'u3'));
    await channel.idle();

    expect(sent).toHaveLength(1);
    expect(sent[0]?.channelId).toBe('editors');
    expect((await env.store.get(first.questionId))?.editorsMessage).toEqual({ channelId: 'editors', messageId: '1000' });
    expect(edits.map((edit) => [edit.messageId, edit.message.embeds?.[0]?.fields?.[0]?.value])).toEqual([
      ['1000', '2 reports by 2 members (2 unanswered)'],
      ['1000', '3 reports by 3 members (3 unanswered)'],
    ]);
  });

  it('never posts one question twice, even when repeats arrive together', async () => {
    const { reporter, channel, sent, edits } = setup(env.store, 10, env.rateLimitCounter());
    await Promise.all(['u1', 'u2', 'u3', 'u4'].map((user) => reporter.report(unanswered('What is the term structure?', user))));
    await channel.idle();
    expect(sent).toHaveLength(1);
    // However the repeats interleaved with the post, the message ends up counting all four.
    const latest = edits.at(-1)?.message ?? sent[0]!.message;
    expect(latest.embeds?.[0]?.fields?.[0]?.value).toBe('4 reports by 4 members (4 unanswered)');
  });

  it('caps the posts one member causes; the question is still stored, and posted when someone else asks it', async () => {
    const { reporter, channel, sent, lines } = setup(env.store, 2, env.rateLimitCounter());
    for (const question of ['q one', 'q two', 'q three']) await reporter.report(unanswered(question, 'flooder'));
    await channel.idle();
    // Posts of different questions run side by side: which two got under the cap first depends on the store's
    // timing (PostgreSQL's counter is a round trip), not on the order the member asked them.
    const posted = sent.map((post) => post.message.embeds?.[0]?.description);
    expect(posted).toHaveLength(2);
    const capped = ['q one', 'q two', 'q three'].find((question) => !posted.includes(`> ${question}`))!;
    expect(await env.store.list({ status: 'open' })).toHaveLength(3);
    expect(lines.some((line) => line.event === 'editors_channel.capped')).toBe(true);

    await reporter.report(unanswered(`${capped.toUpperCase()}?`, 'someone-else'));
    await channel.idle();
    expect(sent.map((post) => post.message.embeds?.[0]?.description)).toEqual([...posted, `> ${capped}`]);
  });

  it('edits the post when an editor resolves the question', async () => {
    const { reporter, channel, edits } = setup(env.store, 10, env.rateLimitCounter());
    const { questionId } = stored(await reporter.report(unanswered('What is a VIX future?')));
    await channel.idle();
    await env.store.setStatus(questionId, { status: 'dismissed', editorId: 'ed' });
    await channel.refresh(questionId);
    expect(edits).toHaveLength(1);
    expect(edits[0]?.message.embeds?.[0]?.title).toBe('Dismissed #1');
    expect(edits[0]?.message.components).toEqual([]);
  });

  it('logs a failed post instead of failing the report', async () => {
    const recorder = recordingMessenger(['editors']);
    const { logger, lines } = memoryLogger();
    const channel = new EditorsChannel({ channelId: 'editors', messenger: recorder.messenger, store: env.store, limits: null, logger, lookup: () => lookup });
    const reporter = new EditorialReporter(env.store, logger, channel);
    await expect(reporter.report(unanswered('What is VXX?'))).resolves.toMatchObject({ isNew: true });
    await channel.idle();
    expect(lines.find((line) => line.event === 'editors_channel.failed')).toMatchObject({ level: 40, questionId: 1 });
  });

  // Replicas share PostgreSQL; a SQLite file serves one process, whose per-question queue keeps posts apart.
  it.skipIf(backend.name === 'SQLite')('posts a question reported through two replicas at once once, from the replica whose report created it', async () => {
    const other = await env.openAnother();
    // One Discord: both replicas' posts and edits land in one record, in the order they were made.
    const discord = recordingMessenger();
    const postedBy: number[] = [];
    const replicas = [env.store, other].map((store, replica) =>
      setup(store, 10, env.rateLimitCounter(store), {
        ...discord,
        messenger: { ...discord.messenger, send: (channelId, message) => (postedBy.push(replica), discord.messenger.send(channelId, message)) },
      }),
    );
    const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    const outcomes = await Promise.all(
      users.map(async (user, i) => stored(await replicas[i % 2]!.reporter.report(unanswered('What is the VIX term structure?', user)))),
    );
    await Promise.all(replicas.map((replica) => replica.channel.idle()));
    expect(outcomes.filter((outcome) => outcome.isNew)).toHaveLength(1);
    expect(discord.sent).toHaveLength(1);
    expect(postedBy).toEqual([outcomes.findIndex((outcome) => outcome.isNew) % 2]);
    expect((await other.get(outcomes[0]!.questionId))?.editorsMessage).toEqual({ channelId: 'editors', messageId: '1000' });
    // However the repeats interleaved with the post, the message was brought to all six (edits from two
    // replicas are not ordered with each other, so the last one made need not be that one).
    const shown = [...discord.sent, ...discord.edits].map((posted) => posted.message.embeds?.[0]?.fields?.[0]?.value);
    expect(shown).toContain('6 reports by 6 members (6 unanswered)');
  });
});

describe('EditorsChannel.close (shutdown)', () => {
  /** A messenger whose sends wait until the test releases them. */
  function heldMessenger() {
    const recorder = recordingMessenger();
    const held: Array<() => void> = [];
    const messenger: Messenger = {
      ...recorder.messenger,
      send: (channelId, message) => new Promise((resolve) => held.push(() => void recorder.messenger.send(channelId, message).then(resolve))),
    };
    return { ...recorder, messenger, release: () => held.splice(0).forEach((go) => go()) };
  }

  it('waits for a post still on its way, then takes no new work', async () => {
    const recorder = heldMessenger();
    const { logger, lines } = memoryLogger();
    const channel = new EditorsChannel({ channelId: 'editors', messenger: recorder.messenger, store: env.store, limits: null, logger, lookup: () => lookup });
    const reporter = new EditorialReporter(env.store, logger, channel);
    const { questionId } = stored(await reporter.report(unanswered('What is VVIX?')));
    await expect.poll(() => channel.pending).toBe(1);

    let closed: boolean | undefined;
    const closing = channel.close(5_000).then((finished) => (closed = finished));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBeUndefined();
    recorder.release();
    await closing;
    expect(closed).toBe(true);
    expect(recorder.sent).toHaveLength(1);
    expect((await env.store.get(questionId))?.editorsMessage).toEqual({ channelId: 'editors', messageId: '1000' });

    await reporter.report(unanswered('Another question after shutdown began'));
    expect(channel.pending).toBe(0);
    expect(lines.some((line) => line.event === 'editors_channel.closed')).toBe(true);
  });

  it('gives up after its time limit, saying how many were left', async () => {
    const recorder = heldMessenger();
    const { logger, lines } = memoryLogger();
    const channel = new EditorsChannel({ channelId: 'editors', messenger: recorder.messenger, store: env.store, limits: null, logger, lookup: () => lookup });
    await new EditorialReporter(env.store, logger, channel).report(unanswered('What is VXX?'));
    const started = performance.now();
    expect(await channel.close(100)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(lines.find((line) => line.event === 'editors_channel.unfinished')).toMatchObject({ pending: 1 });
    recorder.release();
  });
});

describe('EditorialReporter', () => {
  it('emits one question.<kind> event per report', async () => {
    const { logger, lines } = memoryLogger();
    const reporter = new EditorialReporter(env.store, logger);
    await reporter.report(unanswered('What is vega?', 'u1'));
    await reporter.report(unanswered('What is vega?', 'u2', { kind: 'flagged', note: 'missing' }));
    await reporter.report(unanswered('What is vega?', 'u3', { kind: 'not_helpful', answeredSlug: 'vega', answeredKind: 'glossary', confidence: 0.8 }));
    expect(lines.map((line) => [line.event, line.questionId, line.count, line.isNew])).toEqual([
      ['question.unanswered', 1, 1, true],
      ['question.flagged', 1, 2, false],
      ['question.not_helpful', 1, 3, false],
    ]);
    expect(lines[2]).toMatchObject({ userId: 'u3', guildId: 'g1', channelId: 'c1', question: 'What is vega?', answeredSlug: 'vega', confidence: 0.8 });
  });
});
