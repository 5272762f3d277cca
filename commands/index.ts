import type { CommandModule } from '../src/discord/command.js';
import { ask } from './ask.js';
import { flag } from './flag.js';
import { glossary } from './glossary.js';
import { kbStats } from './kb-stats.js';
import { reload } from './reload.js';
import { resolve } from './resolve.js';
import { unanswered } from './unanswered.js';

/** Every slash command the bot registers and answers. Add a module here to ship a new command. */
export const commands: CommandModule[] = [ask, glossary, flag, unanswered, resolve, kbStats, reload];
