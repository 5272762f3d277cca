/**
 * The operations endpoints, for load balancers, orchestrators and Prometheus: GET /healthz (the process is up),
 * GET /readyz (it can serve: knowledge base loaded, store answering, transport ready) and GET /metrics
 * (Prometheus text, prom-client). Served next to POST /interactions, or on PORT with the gateway.
 */
import client from 'prom-client';
import type { KnowledgeService } from '../engine/service.js';
import type { OutboxStatus } from '../questions/outbox.js';
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
    /** The reports' way to the store: its health, the queue and the spool. */
    reports?: () => OutboxStatus;
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
    const reports = options.reports;
    if (reports) {
      new client.Gauge({
        name: 'vixshield_store_up',
        help: 'Whether the question store takes reports: 1 yes, 0 failing (reports are queued and replayed).',
        registers,
        collect() {
          this.set(reports().store.state === 'ok' ? 1 : 0);
        },
      });
      new client.Gauge({
        name: 'vixshield_store_failing_since_seconds',
        help: 'Unix time the question store started failing; 0 while it works.',
        registers,
        collect() {
          const { store } = reports();
          this.set(store.state === 'failing' ? Date.parse(store.since) / 1000 : 0);
        },
      });
      new client.Gauge({
        name: 'vixshield_report_queue_length',
        help: 'Reports (unanswered questions, flags, not helpful) waiting for the question store.',
        registers,
        collect() {
          this.set(reports().queued);
        },
      });
      new client.Gauge({
        name: 'vixshield_report_spool_bytes',
        help: 'Size of the spool file of reports waiting for the question store (DATA_DIR/spool/reports.jsonl).',
        registers,
        collect() {
          this.set(reports().spoolBytes);
        },
      });
    }
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
  /** The reports' way to the store (health, queue, spool). */
  reports?: () => OutboxStatus;
}

/**
 * The bot's readiness. `notReady`: it cannot serve (no knowledge base, transport down). `degraded`: it serves, but
 * something is wrong that an operator should see: a failing question store is one, since answers come from memory
 * and reports wait in the queue and spool; taking the bot out of service would stop the answers and fix nothing.
 */
export interface Readiness {
  notReady: string[];
  degraded: string[];
}

export async function readiness(probes: ReadinessProbes): Promise<Readiness> {
  const notReady: string[] = [];
  const degraded: string[] = [];
  try {
    if (probes.knowledge.current().kb.articles.length === 0) notReady.push('knowledge base is empty');
  } catch {
    notReady.push('knowledge base not loaded');
  }
  const reports = probes.reports?.();
  if (reports?.store.state === 'failing') degraded.push(`question store failing since ${reports.store.since}: ${reports.store.error}`);
  else {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), STORE_PROBE_TIMEOUT_MS);
      });
      await Promise.race([probes.store.get(0), timeout]);
    } catch {
      degraded.push('question store not answering');
    } finally {
      clearTimeout(timer);
    }
  }
  if (reports && reports.queued > 0) degraded.push(`${reports.queued} reports waiting for the question store`);
  if (!probes.transportReady()) notReady.push(`${probes.transportName} not ready`);
  return { notReady, degraded };
}

/** The body of GET /readyz, with its state of the store and the queue. */
function readinessBody(state: Readiness, reports: OutboxStatus | undefined): Record<string, unknown> {
  const status = state.notReady.length > 0 ? 'not ready' : state.degraded.length > 0 ? 'degraded' : 'ready';
  return {
    status,
    ...(state.notReady.length > 0 ? { reasons: state.notReady } : {}),
    ...(state.degraded.length > 0 ? { degraded: state.degraded } : {}),
    ...(reports
      ? {
          store: reports.store.state === 'ok' ? { state: 'ok' } : { state: 'failing', since: reports.store.since },
          queue: { reports: reports.queued, spoolBytes: reports.spoolBytes },
        }
      : {}),
  };
}

/** GET /healthz, GET /readyz and GET /metrics. */
export function operationsRoutes(options: { metrics: BotMetrics; probes: ReadinessProbes }): Routes {
  const { metrics, probes } = options;
  return {
    'GET /healthz': (_request, response) => sendJson(response, 200, { status: 'ok' }),
    // 503 only when the bot cannot answer; a failing store is 200 "degraded" (answers go on, reports are queued).
    'GET /readyz': async (_request, response) => {
      const state = await readiness(probes);
      sendJson(response, state.notReady.length > 0 ? 503 : 200, readinessBody(state, probes.reports?.()));
    },
    'GET /metrics': async (_request, response) => {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text) });
      response.end(text);
    },
  };
}
