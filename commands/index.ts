/**
 * The slash commands: each module is a definition (the JSON Discord registers) and handlers of plain input that
 * return a Reply; none talks to Discord itself. Add a module to this list to ship a new command.
 */
import type { CommandModule } from '../src/discord/command.js';
import { ask } from './ask.js';
import { faq, faqEdit } from './faq.js';
import { flag } from './flag.js';
import { glossary } from './glossary.js';
import { kbStats } from './kb-stats.js';
import { reload } from './reload.js';
import { resolve } from './resolve.js';
import { unanswered } from './unanswered.js';
import { unlearn } from './unlearn.js';

/** Every slash command the bot registers and answers. */
export const commands: readonly CommandModule[] = [ask, glossary, flag, faq, unanswered, resolve, unlearn, faqEdit, kbStats, reload];
