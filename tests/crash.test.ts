import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installCrashPolicy } from '../src/crash.js';
import { createLogger } from '../src/log.js';

function setup(stop: () => Promise<void>, stopTimeoutMs = 1_000) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  const source = new EventEmitter();
  const exits: number[] = [];
  let exited: () => void = () => undefined;
  const exitedOnce = new Promise<void>((resolve) => (exited = resolve));
  installCrashPolicy(source, { logger, stop, exit: (code) => (exits.push(code), exited()), stopTimeoutMs });
  return { lines, source, exits, exitedOnce };
}

describe('the crash policy', () => {
  it('logs an unhandled rejection and goes on', () => {
    let stopped = false;
    const { lines, source, exits } = setup(async () => void (stopped = true));
    source.emit('unhandledRejection', new Error('a stray promise'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'unhandled promise rejection (the bot goes on)', err: { message: 'a stray promise' } });
    expect(stopped).toBe(false);
    expect(exits).toEqual([]);
  });

  it('logs an uncaught exception as fatal, stops the bot, then exits 1, once', async () => {
    const order: string[] = [];
    const { lines, source, exits, exitedOnce } = setup(async () => void order.push('stopped'));
    source.emit('uncaughtException', new Error('state is broken'));
    source.emit('uncaughtException', new Error('and again'));
    await exitedOnce;
    expect(order).toEqual(['stopped']);
    expect(exits).toEqual([1]);
    expect(lines.filter((line) => line.level === 60).map((line) => (line.err as { message: string }).message)).toEqual(['state is broken', 'and again']);
  });

  it('exits 1 even when the stop hangs, after the timeout', async () => {
    const { source, exits, exitedOnce } = setup(() => new Promise<void>(() => undefined), 50);
    const started = performance.now();
    source.emit('uncaughtException', new Error('boom'));
    await exitedOnce;
    expect(exits).toEqual([1]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});
