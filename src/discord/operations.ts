/**
 * The operations endpoints, for load balancers, orchestrators and Prometheus: GET /healthz (the process is up),
 * GET /readyz (it can serve: knowledge base loaded, store answering, transport ready) and GET /metrics
 * (Prometheus text, prom-client). Served next to POST /interactions, or on PORT with the gateway.
 */
import client from 'prom-client';
import type { KnowledgeService } from '../engine/service.js';
import type { QuestionStore } from '../questions/store.js';
import { sendJson, type Routes } from './http.js';
import type { InteractionRecord } from './router.js';

/** How long /readyz waits for the store before calling it unreachable. */
const STORE_PROBE_TIMEOUT_MS = 2_000;

/** Interaction latency buckets, in seconds: Discord's deadline is 3 s, the bot's target p99 20 ms. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5];

/** The bot's metrics, in a registry of its own (several bots in one process, as in the tests, do not collide). */
export class BotMetrics {
  readonly registry = new client.Registry();
  private readonly interactions: client.Counter<'kind' | 'command' | 'outcome'>;
  private readonly latency: client.Histogram<'kind'>;
  private readonly unanswered: client.Counter;
  private readonly storeErrors: client.Counter<'operation'>;

  constructor(options: {
    knowledge: KnowledgeService;
    /** Command names and custom_id prefixes the bot serves; any other name is counted as "unknown" (bounded labels). */
    names: Iterable<string>;
    /** Node's process metrics (memory, CPU, event loop); off in tests that build many bots. */
    processMetrics?: boolean;
  }) {
    const known = new Set(options.names);
    const registers = [this.registry];
    this.interactions = new client.Counter({
      name: 'vixshield_interactions_total',
      help: 'Interactions handled, by kind (command, autocomplete, button, modal, other), command or custom_id prefix, and outcome.',
      labelNames: ['kind', 'command', 'outcome'],
      registers,
    });
    this.latency = new client.Histogram({
      name: 'vixshield_interaction_latency_seconds',
      help: "From receiving an interaction to Discord's acknowledgement of its first response.",
      labelNames: ['kind'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.unanswered = new client.Counter({
      name: 'vixshield_unanswered_questions_total',
      help: '/ask questions without a confident answer (passed to the editors).',
      registers,
    });
    this.storeErrors = new client.Counter({
      name: 'vixshield_store_errors_total',
      help: 'Question store operations that failed, by operation.',
      labelNames: ['operation'],
      registers,
    });
    const kb = () => options.knowledge.current().kb;
    new client.Gauge({
      name: 'vixshield_knowledge_articles',
      help: 'Articles in the knowledge base being served.',
      registers,
      collect() {
        this.set(kb().articles.length);
      },
    });
    new client.Gauge({
      name: 'vixshield_knowledge_passages',
      help: 'Article passages indexed in the knowledge base being served.',
      registers,
      collect() {
        this.set(kb().articles.reduce((sum, article) => sum + article.passages.length, 0));
      },
    });
    new client.Gauge({
      name: 'vixshield_knowledge_glossary_terms',
      help: 'Glossary terms in the knowledge base being served.',
      registers,
      collect() {
        this.set(kb().glossary.length);
      },
    });
    if (options.processMetrics) client.collectDefaultMetrics({ register: this.registry });
    this.observeInteraction = (record) => {
      const command = record.command !== null && known.has(record.command) ? record.command : record.command === null ? 'none' : 'unknown';
      this.interactions.inc({ kind: record.kind, command, outcome: record.outcome });
      if (record.latencyMs !== null) this.latency.observe({ kind: record.kind }, record.latencyMs / 1000);
      if (record.outcome === 'unanswered') this.unanswered.inc();
    };
  }

  /** The router's observer: one call per interaction handled. */
  readonly observeInteraction: (record: InteractionRecord) => void;

  storeError(operation: string): void {
    this.storeErrors.inc({ operation });
  }
}

/** The store, counting each method call that throws or rejects in the metrics (and still failing as before). */
export function countingStore(store: QuestionStore, metrics: BotMetrics): QuestionStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const operation = String(property);
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...params: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          metrics.storeError(operation);
          throw error;
        }
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            metrics.storeError(operation);
            throw error;
          });
        }
        return result;
      };
    },
  });
}

export interface ReadinessProbes {
  knowledge: KnowledgeService;
  store: QuestionStore;
  /** The transport: the gateway connected and ready, or the HTTP endpoint listening; false while stopping. */
  transportReady(): boolean;
  /** What to call the transport in a reason ("gateway", "interactions endpoint"). */
  transportName: string;
}

/** Why the bot cannot serve now; empty when it can. */
export async function notReadyReasons(probes: ReadinessProbes): Promise<string[]> {
  const reasons: string[] = [];
  try {
    if (probes.knowledge.current().kb.articles.length === 0) reasons.push('knowledge base is empty');
  } catch {
    reasons.push('knowledge base not loaded');
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), STORE_PROBE_TIMEOUT_MS);
    });
    await Promise.race([probes.store.get(0), timeout]);
  } catch {
    reasons.push('question store not answering');
  } finally {
    clearTimeout(timer);
  }
  if (!probes.transportReady()) reasons.push(`${probes.transportName} not ready`);
  return reasons;
}

/** GET /healthz, GET /readyz and GET /metrics. */
export function operationsRoutes(options: { metrics: BotMetrics; probes: ReadinessProbes }): Routes {
  const { metrics, probes } = options;
  return {
    'GET /healthz': (_request, response) => sendJson(response, 200, { status: 'ok' }),
    'GET /readyz': async (_request, response) => {
      const reasons = await notReadyReasons(probes);
      if (reasons.length === 0) sendJson(response, 200, { status: 'ready' });
      else sendJson(response, 503, { status: 'not ready', reasons });
    },
    'GET /metrics': async (_request, response) => {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text) });
      response.end(text);
    },
  };
}
