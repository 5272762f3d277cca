/** What handlers put in a report to the editors: who and where, and the question a button's message was for. */
import type { QuestionReport } from '../questions/sink.js';
import type { ComponentInput, Invoker } from './command.js';
import { questionFromContent } from './render.js';

/** The member-and-place part of a report to the editors. */
export function reportedBy(input: Invoker): Pick<QuestionReport, 'userId' | 'guildId' | 'channelId'> {
  return { userId: input.userId, guildId: input.guildId, channelId: input.channelId };
}

/** The question of the reply a button sits on; the answer's title if the question line is gone. */
export function questionOnMessage(input: ComponentInput): string | null {
  const message = input.message;
  if (!message) return null;
  return questionFromContent(message.content) ?? message.embeds[0]?.title ?? null;
}

/** Said once a flag is stored. */
export const THANKS_PASSED_TO_EDITORS = 'Thank you: your question has been passed to the editors.';
