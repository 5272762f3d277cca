/**
 * The editors' loop end to end: the real bot (discord.js client, router, commands) against the fake Discord, with
 * a real store: SQLite, and PostgreSQL when TEST_DATABASE_URL answers. Unanswered questions are posted to the
 * editors' channel, repeats edit that post, and the editor commands and buttons work the queue.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { CUSTOM_IDS } from '../../src/discord/custom-ids.js';
import { registerCommands } from '../../src/discord/register.js';
import type { Engine } from '../../src/engine/engine.js';
import { EDITORS_ONLY, NOT_AN_EDITOR } from '../../src/discord/permissions.js';
import { sharedKnowledge, startTestBot, TEST_TOKEN, type TestBot } from '../support/bot-harness.js';
import { APPLICATION_ID, type RecordedRequest } from '../support/fake-discord.js';
import { STORES_UNDER_TEST, type StoreUnderTest } from '../support/postgres.js';
import { autocomplete, botMessage, buttonClick, CHANNEL_ID, GUILD_ID, modalSubmit, slashCommand, type SentInteraction } from '../support/interactions.js';

const CALLBACK = { reply: 4, autocomplete: 8, modal: 9 } as const;
const EPHEMERAL = 64;
const EDITORS_CHANNEL_ID = '1600000000000000001';
const MEMBER = { a: '1400000000000000011', b: '1400000000000000012', c: '1400000000000000013', fast: '1400000000000000014', flagger: '1400000000000000015' };
const EDITOR_ID = '1400000000000000099';

// Every store under test, through both transports: the same suite over the gateway and the HTTP endpoint.
for (const [store, transport] of STORES_UNDER_TEST.flatMap((store) => (['gateway', 'http'] as const).map((transport) => [store, transport] as const))) {
  (store.skip ? describe.skip : describe)(`the editors' loop on ${store.title}, over ${transport === 'http' ? 'HTTP interactions' : 'the gateway'}`, () => {
    let bot: TestBot;
    let database: Awaited<ReturnType<StoreUnderTest['open']>> | undefined;
    let engine: Engine;

    beforeAll(async () => {
      engine = (await sharedKnowledge()).current();
      first = unansweredQuestion(['What is the best pizza in Naples?', 'how do I bake sourdough bread', 'Which football club should I support?']);
      second = unansweredQuestion([
        'how do I bake sourdough bread',
        'Which football club should I support?',
        'Is the VIX useful for crypto tax loss harvesting?',
      ]);
      database = await store.open();
      bot = await startTestBot({
        interactions: transport,
        databaseUrl: database.databaseUrl,
        reportToStore: true,
        editorialChannelId: EDITORS_CHANNEL_ID,
        notifyAskers: 'reply',
        rateLimits: { ask: { max: 2, windowMs: 60_000 }, flag: { max: 1, windowMs: 600_000 }, editorialPosts: { max: 5, windowMs: 3_600_000 } },
      });
    });

    afterAll(async () => {
      await bot?.stop();
      await database?.cleanup();
    });

    /** The interaction as sent by another member, optionally one who may Manage Messages (an editor). */
    function by(userId: string, interaction: SentInteraction, options: { editor?: boolean } = {}): SentInteraction {
      const member = interaction.payload.member as { user: object; permissions: string };
      const permissions = options.editor ? (BigInt(member.permissions) | PermissionFlagsBits.ManageMessages).toString() : member.permissions;
      interaction.payload.member = { ...member, user: { ...member.user, id: userId }, permissions };
      return interaction;
    }

    /** A question the engine leaves unanswered, with an article as its best guess. */
    function unansweredQuestion(candidates: string[]): { question: string; guess: string } {
      for (const question of candidates) {
        const result = engine.ask(question);
        const top = result.results[0];
        if (result.status === 'unanswered' && top?.kind === 'article') return { question, guess: top.slug };
      }
      throw new Error('the knowledge base changed: pick new unanswered questions for this test');
    }

    function editorsPosts(): RecordedRequest[] {
      return bot.fake.requests.filter((request) => request.method === 'POST' && request.path === `/channels/${EDITORS_CHANNEL_ID}/messages`);
    }

    function editsOf(messageId: string): RecordedRequest[] {
      return bot.fake.requests.filter((request) => request.method === 'PATCH' && request.path === `/channels/${EDITORS_CHANNEL_ID}/messages/${messageId}`);
    }

    async function settled(): Promise<void> {
      await bot.editorial.editorsChannel?.idle();
    }

    let first: { question: string; guess: string };
    let second: { question: string; guess: string };
    let firstPost: { id: string; body: RecordedRequest['body'] };

    describe('registration', () => {
      it('hides the editor commands from members with default_member_permissions (Manage Messages), in servers only', async () => {
        await registerCommands({ apiUrl: bot.fake.apiUrl, token: TEST_TOKEN, guildId: GUILD_ID, commands });
        const registered = bot.fake.registeredCommands.get(GUILD_ID) as Array<{
          name: string;
          default_member_permissions?: string | null;
          contexts?: number[];
        }>;
        const permissionsOf = (name: string) => registered.find((command) => command.name === name);
        for (const name of ['unanswered', 'resolve', 'kb-stats', 'reload']) {
          expect(permissionsOf(name)).toMatchObject({ default_member_permissions: PermissionFlagsBits.ManageMessages.toString(), contexts: [0] });
        }
        for (const name of ['ask', 'glossary', 'flag']) expect(permissionsOf(name)?.default_member_permissions ?? null).toBeNull();
      });
    });

    describe("the editors' channel", () => {
      it('gets a post for a new unanswered question, stored before the member is told', async () => {
        const reply = await bot.send(by(MEMBER.a, slashCommand('ask', { question: first.question })));
        expect(reply.body.type).toBe(CALLBACK.reply);
        expect((await bot.editorial.store.list({})).map((group) => [group.id, group.question])).toEqual([[1, first.question]]);

        await settled();
        const [post] = editorsPosts();
        expect(post?.body).toMatchObject({
          allowed_mentions: { parse: [] },
          embeds: [{ title: 'Open question #1', description: `> ${first.question}` }],
        });
        const fields = post!.body.embeds[0].fields as Array<{ name: string; value: string }>;
        expect(fields.map((field) => field.value)).toEqual([
          '1 report by 1 member (1 unanswered)',
          `<@${MEMBER.a}> in https://discord.com/channels/${GUILD_ID}/${CHANNEL_ID}`,
          expect.stringContaining('not confident enough to answer'),
        ]);
        expect(post!.body.components[0].components.map((button: { label: string; custom_id: string }) => [button.label, button.custom_id])).toEqual([
          ['Mark answered (link article)', 'editors-answer:1'],
          ['Dismiss', 'editors-dismiss:1'],
        ]);
        const stored = await bot.editorial.store.get(1);
        firstPost = { id: stored!.editorsMessage!.messageId, body: post!.body };
        expect(stored?.editorsMessage?.channelId).toBe(EDITORS_CHANNEL_ID);
      });

      it('edits the count of that post when another member asks the same question', async () => {
        await bot.send(by(MEMBER.b, slashCommand('ask', { question: first.question.toUpperCase() })));
        await settled();
        expect(editorsPosts()).toHaveLength(1);
        const [edit] = editsOf(firstPost.id);
        expect(edit?.body.embeds[0].fields[0].value).toBe('2 reports by 2 members (2 unanswered)');
      });
    });

    describe('/unanswered', () => {
      it('lists the open questions, most asked first, privately', async () => {
        await bot.send(by(MEMBER.c, slashCommand('ask', { question: second.question })));
        const reply = await bot.send(by(EDITOR_ID, slashCommand('unanswered', {}), { editor: true }));
        expect(reply.body.data.flags).toBe(EPHEMERAL);
        const lines = (reply.body.data.embeds[0].description as string).split('\n');
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(/^\*\*#1\*\* · 2× by 2 · /);
        expect(lines[1]).toMatch(/^\*\*#2\*\* · 1× by 1 · /);
      });
    });

    describe('/resolve', () => {
      it('autocompletes article titles with slugs as values', async () => {
        const reply = await bot.send(autocomplete('resolve', { id: '1', article: 'vix calls' }, 'article'));
        expect(reply.body.type).toBe(CALLBACK.autocomplete);
        const choices = reply.body.data.choices as Array<{ name: string; value: string }>;
        expect(choices.length).toBeGreaterThan(0);
        for (const choice of choices) expect(engine.kb.articleBySlug.get(choice.value)?.title).toBe(choice.name);
      });

      it('marks the question answered, updates the post and tells the askers in their channel', async () => {
        const article = engine.kb.articles[0]!;
        const reply = await bot.send(by(EDITOR_ID, slashCommand('resolve', { id: 1 as unknown as string, article: article.slug }), { editor: true }));
        await settled();
        expect(reply.body.data.flags).toBe(EPHEMERAL);
        expect(reply.body.data.content).toContain(
          `is marked answered with [${article.title}](${article.url}). Told 2 of 2 member(s) in the channel where they asked.`,
        );
        expect(await bot.editorial.store.get(1)).toMatchObject({ status: 'answered', resolvedSlug: article.slug, resolvedBy: EDITOR_ID });

        const edit = editsOf(firstPost.id).at(-1);
        expect(edit?.body.embeds[0].title).toBe('Answered #1');
        expect(edit?.body.components).toEqual([]);

        const told = bot.fake.requests.find((request) => request.method === 'POST' && request.path === `/channels/${CHANNEL_ID}/messages`);
        expect(told?.body.content).toMatch(new RegExp(`^<@${MEMBER.a}> <@${MEMBER.b}> the editors have added an answer`));
        expect(told?.body.allowed_mentions).toEqual({ parse: [], users: [MEMBER.a, MEMBER.b] });
      });

      it('says which article it does not know, and changes nothing', async () => {
        const reply = await bot.send(by(EDITOR_ID, slashCommand('resolve', { id: 2 as unknown as string, article: 'no-such-article' }), { editor: true }));
        expect(reply.body.data.content).toMatch(/^There is no article `no-such-article`/);
        expect((await bot.editorial.store.get(2))?.status).toBe('open');
      });
    });

    describe("the editors' channel buttons", () => {
      function postOf(questionId: number): Record<string, unknown> {
        const post = editorsPosts().find((request) => request.body.embeds[0].title === `Open question #${questionId}`);
        return botMessage({ embeds: post!.body.embeds, components: post!.body.components });
      }

      it('refuse members who cannot Manage Messages', async () => {
        await settled();
        const reply = await bot.send(by(MEMBER.a, buttonClick('editors-dismiss:2', postOf(2))));
        expect(reply.body.data).toMatchObject({ content: NOT_AN_EDITOR, flags: EPHEMERAL });
        expect((await bot.editorial.store.get(2))?.status).toBe('open');
      });

      it('Mark answered opens a modal pre-filled with the best guess; submitting it resolves the question', async () => {
        const clicked = await bot.send(by(EDITOR_ID, buttonClick('editors-answer:2', postOf(2)), { editor: true }));
        expect(clicked.body.type).toBe(CALLBACK.modal);
        expect(clicked.body.data.custom_id).toBe('editors-answer-modal:2');
        expect(clicked.body.data.components[0].component).toMatchObject({ custom_id: 'article', value: second.guess });

        const submitted = await bot.send(by(EDITOR_ID, modalSubmit('editors-answer-modal:2', { article: second.guess }, postOf(2)), { editor: true }));
        expect(submitted.body.data.content).toMatch(/^Question #2 .* is marked answered with/);
        expect(await bot.editorial.store.get(2)).toMatchObject({ status: 'answered', resolvedSlug: second.guess });
      });

      it('Dismiss dismisses the question and updates the post', async () => {
        const third = unansweredQuestion(['Which football club should I support?', 'What is the best pizza in Naples?']);
        await bot.send(by(MEMBER.c, slashCommand('ask', { question: `${third.question} (third)` })));
        await settled();
        const reply = await bot.send(by(EDITOR_ID, buttonClick('editors-dismiss:3', postOf(3)), { editor: true }));
        await settled();
        expect(reply.body.data.content).toMatch(/^Question #3 .* is dismissed\.$/);
        const messageId = (await bot.editorial.store.get(3))!.editorsMessage!.messageId;
        expect(editsOf(messageId).at(-1)?.body.embeds[0].title).toBe('Dismissed #3');
      });
    });

    describe('NOTIFY_ASKERS=dm', () => {
      it('sends each member who asked a direct message', async () => {
        bot.editorial.notify = 'dm';
        try {
          const article = engine.kb.articles[1]!;
          const reply = await bot.send(by(EDITOR_ID, slashCommand('resolve', { id: 3 as unknown as string, article: article.slug }), { editor: true }));
          expect(reply.body.data.content).toContain('Told 1 of 1 member(s) by direct message.');
          const opened = bot.fake.requests.find((request) => request.method === 'POST' && request.path === '/users/@me/channels');
          expect(opened?.body).toEqual({ recipient_id: MEMBER.c });
          const dm = bot.fake.requests.find(
            (request) => request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path) && request.body.content?.startsWith('Hello!'),
          );
          expect(dm?.body.content).toContain(article.url);
        } finally {
          bot.editorial.notify = 'reply';
        }
      });
    });

    describe('rate limits', () => {
      it('tell a member who asks too fast to slow down, and store nothing for the refused ask', async () => {
        const question = 'What is the best pizza in Naples, really, truly?';
        for (let i = 0; i < 2; i += 1) await bot.send(by(MEMBER.fast, slashCommand('ask', { question: `${question} ${i}` })));
        // The editors' channel posts of the two accepted asks write their message ids to the store after the replies.
        await settled();
        const before = await bot.editorial.store.list({});
        const refused = await bot.send(by(MEMBER.fast, slashCommand('ask', { question: `${question} 2` })));
        expect(refused.body.data.flags).toBe(EPHEMERAL);
        expect(refused.body.data.content).toMatch(/^Slow down: you can ask questions 2 times per minute\. Try again in \d+ s\.$/);
        await settled();
        expect(await bot.editorial.store.list({})).toEqual(before);
      });

      it('limit flags per member', async () => {
        const flagged = await bot.send(by(MEMBER.flagger, slashCommand('flag', { question: 'Please cover VIX options expiry' })));
        expect(flagged.body.data.content).toMatch(/passed to the editors/);
        const refused = await bot.send(by(MEMBER.flagger, slashCommand('flag', { question: 'And VIX weeklies too' })));
        expect(refused.body.data.content).toMatch(/^Slow down: you can flag answers once per 10 minutes\. Try again in 10 min\.$/);
        expect((await bot.editorial.store.list({})).filter((group) => group.kinds.flagged > 0)).toHaveLength(1);
      });
    });

    describe('/kb-stats', () => {
      it('shows the answer rate, the open queue, the most asked questions and, per article, times served and votes', async () => {
        const article = engine.kb.articles[0]!;
        const answered = await bot.send(by(MEMBER.b, slashCommand('ask', { question: article.title })));
        const message = botMessage({ ...answered.body.data, flags: answered.body.data.flags ?? 0 });
        await bot.send(by(MEMBER.b, buttonClick(`vote:up:a:${article.slug}`, message)));
        await bot.send(by(MEMBER.c, buttonClick(`vote:down:a:${article.slug}`, message)));

        const reply = await bot.send(by(EDITOR_ID, slashCommand('kb-stats', { days: 7 as unknown as string }), { editor: true }));
        const embed = reply.body.data.embeds[0] as { title: string; fields: Array<{ name: string; value: string }> };
        expect(embed.title).toBe('Knowledge base, last 7 days');
        const field = (name: string) => embed.fields.find((candidate) => candidate.name === name)?.value;
        expect(field('Answer rate')).toMatch(/^\d+% \(1 of \d+ questions answered\)$/);
        expect(field('Open queue')).toMatch(/^\d+ open questions?, \d+ asked in this period/);
        expect(field('Most asked (unanswered or flagged)')).toMatch(/^1\. \*\*#1\*\* .* · 2× \(answered\)/);
        expect(field(`1. ${article.title}`)).toBe(
          `[Read the article](${article.url}) · served 1× · 1 helpful · 1 not helpful\nMarked not helpful: “${article.title}” (1×)`,
        );
      });

      it('refuses a member who is not an editor, even if the command reached them', async () => {
        const reply = await bot.send(by(MEMBER.a, slashCommand('kb-stats', {})));
        expect(reply.body.data).toMatchObject({ content: EDITORS_ONLY, flags: EPHEMERAL });
        expect(reply.body.data.embeds ?? []).toEqual([]);
      });
    });

    describe('editor commands re-granted to a member by a server admin', () => {
      it('/resolve, /unanswered and /reload check the member themselves and change nothing', async () => {
        const before = await bot.editorial.store.get(2);
        const resolveReply = await bot.send(by(MEMBER.a, slashCommand('resolve', { id: 2 as unknown as string, article: engine.kb.articles[0]!.slug })));
        expect(resolveReply.body.data).toMatchObject({ content: EDITORS_ONLY, flags: EPHEMERAL });
        expect((await bot.editorial.store.get(2))?.status).toBe(before?.status);
        const listReply = await bot.send(by(MEMBER.a, slashCommand('unanswered', {})));
        expect(listReply.body.data).toMatchObject({ content: EDITORS_ONLY, flags: EPHEMERAL });
        const serving = bot.app.knowledge.current();
        const interaction = by(MEMBER.a, slashCommand('reload', {}));
        await bot.send(interaction);
        const answer = await bot.fake.waitForRequest(
          (request) => request.method === 'PATCH' && request.path.startsWith(`/webhooks/${APPLICATION_ID}/${interaction.token}`),
        );
        expect(answer.body.content).toBe(EDITORS_ONLY);
        expect(bot.app.knowledge.current()).toBe(serving);
      });
    });

    describe('editors by role (EDITOR_ROLE_ID)', () => {
      const EDITOR_ROLE = '1700000000000000001';
      let roleBot: TestBot;
      beforeAll(async () => {
        roleBot = await startTestBot({ reportToStore: true, editorRoleIds: [EDITOR_ROLE] });
      });
      afterAll(async () => {
        await roleBot?.stop();
      });

      /** As sent by a member without Manage Messages, with these roles. */
      function withRoles(interaction: SentInteraction, roles: string[]): SentInteraction {
        const member = interaction.payload.member as Record<string, unknown>;
        interaction.payload.member = { ...member, roles };
        return interaction;
      }

      it('lets a member with an editor role use the editor commands and buttons without Manage Messages', async () => {
        await roleBot.send(by(MEMBER.b, slashCommand('ask', { question: first.question })));
        const list = await roleBot.send(withRoles(by(MEMBER.c, slashCommand('unanswered', {})), [EDITOR_ROLE]));
        expect(list.body.data.content ?? '').not.toBe(EDITORS_ONLY);
        expect(JSON.stringify(list.body.data.embeds)).toContain(first.question);
        const dismissed = await roleBot.send(
          withRoles(by(MEMBER.c, buttonClick(`${CUSTOM_IDS.editorsDismiss}:1`, botMessage({ content: 'question #1' }))), [EDITOR_ROLE]),
        );
        expect(dismissed.body.data?.content ?? '').not.toBe(NOT_AN_EDITOR);
        expect((await roleBot.editorial.store.get(1))?.status).toBe('dismissed');
      });

      it('refuses a member with other roles only, and changes nothing', async () => {
        const reply = await roleBot.send(
          withRoles(by(MEMBER.c, slashCommand('resolve', { id: 1 as unknown as string, article: engine.kb.articles[0]!.slug })), ['1700000000000000002']),
        );
        expect(reply.body.data).toMatchObject({ content: EDITORS_ONLY, flags: EPHEMERAL });
        expect((await roleBot.editorial.store.get(1))?.status).toBe('dismissed');
      });
    });

    describe('/reload', () => {
      it('reloads the knowledge base and says what is serving', async () => {
        const interaction = by(EDITOR_ID, slashCommand('reload', {}), { editor: true });
        // Deferred first (reading every file may take longer than Discord's 3 seconds), then the answer is edited in.
        const deferred = await bot.send(interaction);
        expect(deferred.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
        const answer = await bot.fake.waitForRequest(
          (request) => request.method === 'PATCH' && request.path.startsWith(`/webhooks/${APPLICATION_ID}/${interaction.token}`),
        );
        expect(answer.body.content).toMatch(
          new RegExp(`^Reloaded in [\\d.]+ s: ${engine.kb.articles.length} articles and ${engine.kb.glossary.length} glossary terms are now serving\\.$`),
        );
      });
    });
  });
}
