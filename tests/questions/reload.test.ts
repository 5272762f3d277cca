import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reload } from '../../commands/reload.js';
import { PROJECT_ROOT } from '../../src/cli/common.js';
import type { BotContext, CommandInput, MessageReply } from '../../src/discord/command.js';
import { KnowledgeService } from '../../src/engine/service.js';
import { memoryLogger } from './helpers.js';

let dir: string;
let knowledge: KnowledgeService;
const { logger, lines } = memoryLogger();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vix-kb-'));
  cpSync(path.join(PROJECT_ROOT, 'knowledge'), dir, { recursive: true });
  knowledge = await KnowledgeService.load(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** /reload only uses the knowledge service and the logger; the editor who runs it can Manage Messages. */
function run(): Promise<MessageReply> {
  const ctx = { knowledge, logger, editorial: { editorRoleIds: [] } } as unknown as BotContext;
  const editor = { memberPermissions: new PermissionsBitField(PermissionFlagsBits.ManageMessages) } as unknown as CommandInput;
  return reload.execute(editor, ctx) as Promise<MessageReply>;
}

it('keeps serving the old knowledge base when the new one is invalid, and shows the editor file and field', async () => {
  const serving = knowledge.current();
  writeFileSync(path.join(dir, 'articles', 'half-written.md'), '---\ntitle: "Half written"\npublished: someday\n---\nNot finished.\n');

  const reply = await run();
  expect(reply).toMatchObject({ type: 'message', ephemeral: true, outcome: 'reload_failed' });
  expect(reply.content).toMatch(/^The knowledge base on disk has \d+ problem\(s\), so the bot keeps serving the previous version\./);
  expect(reply.content).toMatch(/articles\/half-written\.md: published: /);
  expect(reply.content!.length).toBeLessThanOrEqual(2000);
  expect(knowledge.current()).toBe(serving);
  expect(lines.find((line) => line.event === 'knowledge.reload_failed')).toBeDefined();
});

it('swaps in the knowledge base once it is valid again', async () => {
  const serving = knowledge.current();
  rmSync(path.join(dir, 'articles', 'half-written.md'));
  const reply = await run();
  expect(reply.content).toMatch(/^Reloaded in [\d.]+ s: \d+ articles and \d+ glossary terms are now serving\.$/);
  expect(knowledge.current()).not.toBe(serving);
});

it('keeps the learned phrasings across a reload, and names those of an article it no longer has', async () => {
  const slug = 'how-does-theta-decay-work-and-why-does-it-speed-up-near-expiration';
  const taught = 'Why does my banana option position melt every Friday?';
  knowledge.setLearned([{ slug, text: taught }]);
  expect(knowledge.current().ask(taught).answer?.slug).toBe(slug);
  expect((await run()).content).toMatch(/are now serving\.$/);
  expect(knowledge.current().ask(taught).answer?.slug).toBe(slug);

  rmSync(path.join(dir, 'articles', `${slug}.md`));
  const reply = await run();
  expect(reply.content).toMatch(
    new RegExp(`are now serving\\. 1 learned phrasing\\(s\\) belong to articles the knowledge base no longer has and are not searched: \`${slug}\`\\.`),
  );
  expect(knowledge.current().ask(taught).status).toBe('unanswered');
  expect(lines.find((line) => line.event === 'learned.dropped')).toMatchObject({ phrasings: [{ slug, text: taught }] });
});
