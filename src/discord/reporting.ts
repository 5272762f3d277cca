/** What handlers put in a report to the editors: who and where, and the question a button's message was for. */
import type { Logger } from 'pino';
import { isQueued, type QuestionReport, type QuestionSink } from '../questions/sink.js';
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
/** Said when the store could not take the flag now: it waits in the spool and reaches the editors when it can. */
export const THANKS_NOTED_FOR_EDITORS = 'Thank you: noted; the editors will see it shortly.';
/** Said when the flag could not be recorded at all. */
export const FLAG_NOT_RECORDED = 'Sorry, your flag could not be recorded just now; please try again in a few minutes.';

/** The member's reply to a flag: the truth about where it went. */
export async function reportFlag(sink: QuestionSink, report: QuestionReport, logger: Logger): Promise<string> {
  try {
    return isQueued(await sink.report(report)) ? THANKS_NOTED_FOR_EDITORS : THANKS_PASSED_TO_EDITORS;
  } catch (error) {
    logger.error({ event: 'flag.not_recorded', err: error }, 'could not record a flag');
    return FLAG_NOT_RECORDED;
  }
}
