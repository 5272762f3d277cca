// The question store: the editors' queue (unanswered, flagged, "not helpful") grouped, counted and exported, and
// the members' votes on answers.
// Plain data and an async interface, SQLite (sqlite.ts) or PostgreSQL (postgres.ts) underneath; no Discord here,
// that is src/discord/editorial.
import type { QuestionKind, QuestionReport, QuestionSink, ReportOutcome } from './sink.js';

/**
 * Storage of the editors' queue. Handlers only see QuestionSink (and AskLog); the editor commands, the editors'
 * channel and the export CLI use QuestionStore. Every method is async: PostgreSQL (postgres.ts) is a server; the
 * SQLite implementation (sqlite.ts) is synchronous underneath.
 */
/** A member who sends the same report again within this window (double click, retry) is not counted twice. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/**
 * How long a claim on a group's editors'-channel post holds. The report that creates a group holds the claim, so
 * the process that created it posts it; a claim left by a process that died before posting lapses after this.
 */
export const EDITORS_POST_CLAIM_MS = 2 * 60_000;

export type QuestionStatus = 'open' | 'answered' | 'dismissed';
export const QUESTION_STATUSES: readonly QuestionStatus[] = ['open', 'answered', 'dismissed'];

/** Repeats of one normalised question. */
export interface QuestionGroup {
  id: number;
  /** The text of the first report. */
  question: string;
  normalized: string;
  status: QuestionStatus;
  /** Reports in the group (every ask, flag and vote that was not a duplicate). */
  count: number;
  /** Distinct members who reported it. */
  askers: number;
  kinds: Record<QuestionKind, number>;
  firstAskedAt: string;
  lastAskedAt: string;
  /** Where and by whom it was first asked. */
  firstUserId: string;
  firstGuildId: string | null;
  firstChannelId: string | null;
  /** The bot's answer or best guess on the latest report that had one. */
  latestGuess: { slug: string; kind: 'article' | 'glossary' | null; title: string | null; confidence: number | null; answered: boolean } | null;
  resolvedSlug: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  editorsMessage: { channelId: string; messageId: string } | null;
}

export interface StoredReportOutcome extends ReportOutcome {
  status: QuestionStatus;
  /** The same member sent the same report moments ago (double click, retry): nothing new was stored. */
  duplicate: boolean;
  /** A report on an answered question: the answer did not help, so the group is open again. */
  reopened: boolean;
  /** This report id was stored before (a replay of a write that went through): nothing new was stored. */
  alreadyStored?: boolean;
}

/** A report's identity, given when the bot takes it: replays from the spool are stored once, at the original time. */
export interface ReportIdentity {
  /** Unique per report; a second report with the same id is not stored again. */
  reportId: string;
  /** When the member reported it. */
  reportedAt: Date;
}

export type StatusChange = { status: 'answered'; articleSlug: string; editorId: string } | { status: 'dismissed'; editorId: string };

export interface StatusChangeOutcome {
  group: QuestionGroup;
  previousStatus: QuestionStatus;
  previousSlug: string | null;
}

export interface Asker {
  userId: string;
  guildId: string | null;
  channelId: string | null;
  lastAskedAt: string;
}

/** One /ask as served, for the answer rate and the most served articles (no user id: stats need none). */
export interface AskRecord {
  status: 'answered' | 'unanswered';
  /** The question of an ask answered with an article, counted per article and question for /faq (no user id). */
  question?: string;
  slug?: string | null;
  kind?: 'article' | 'glossary' | null;
  confidence?: number | null;
  guildId?: string | null;
}

export interface AskLog {
  recordAsk(ask: AskRecord): Promise<void>;
}

export interface QuestionStats {
  since: string;
  asks: number;
  answered: number;
  /** answered / asks, null when nothing was asked. */
  answerRate: number | null;
  reports: Record<QuestionKind, number>;
  mostAsked: Array<{ id: number; question: string; status: QuestionStatus; count: number }>;
  /** The queue now: open questions, and how many of them were asked (again) in the period. */
  openQueue: { open: number; askedInPeriod: number };
  /** Most served first (then most voted on): what members were given and what they thought of it. */
  articles: ArticleStats[];
}

/** One article (or glossary term) over the period of the stats. */
export interface ArticleStats {
  slug: string;
  kind: 'article' | 'glossary' | null;
  /** Times /ask answered with it. */
  served: number;
  /** Members' current votes cast or changed in the period. */
  helpful: number;
  notHelpful: number;
  /** The questions it answered that most members marked not helpful, most first. */
  notHelpfulQuestions: Array<{ question: string; count: number }>;
}

export interface StatsOptions {
  /** Most asked questions listed (default 5). */
  top?: number;
  /** Articles listed (default 5). */
  articles?: number;
  /** Questions marked not helpful listed per article (default 3). */
  questionsPerArticle?: number;
}

/** A member's verdict on an answer: the Helpful / Not helpful buttons under it. */
export type VoteValue = 'helpful' | 'not_helpful';

/**
 * The answer a vote is about: the article (or glossary term) the bot served, for the question it was served for.
 * Questions are grouped as the queue groups repeats: the same question asked again in another case, with other
 * punctuation or filler words, and answered with the same article, is the same answer (and the same vote).
 */
export interface VotedAnswer {
  kind: 'article' | 'glossary';
  slug: string;
  /** The member's question as it was answered (the store caps and cleans it). */
  question: string;
}

export interface VoteInput extends VotedAnswer {
  value: VoteValue;
  userId: string;
  guildId: string | null;
  channelId: string | null;
}

export interface VoteOutcome {
  value: VoteValue;
  /** The member's vote on this answer before this one; null when this is their first. */
  previous: VoteValue | null;
}

/** One group as exported for editors who work outside Discord. */
export interface ExportRow {
  id: number;
  status: QuestionStatus;
  count: number;
  askers: number;
  unanswered: number;
  flagged: number;
  notHelpful: number;
  question: string;
  firstAskedAt: string;
  lastAskedAt: string;
  botAnswer: string | null;
  botConfidence: number | null;
  resolvedArticle: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  notes: string[];
}

/**
 * A member's question an editor resolved with an article, kept as a phrasing of that article: the engine searches
 * it as it searches the article's `asked` list (until it is exported there), and never shows it.
 */
export interface LearnedPhrasingRow {
  id: number;
  slug: string;
  /** The member's words as stored for the report (plain text, capped). */
  text: string;
  /** The question group it came from. */
  groupId: number;
  /** The editor whose resolve taught it. */
  resolvedBy: string;
  createdAt: string;
  /** When `npm run questions -- learned --write` wrote it into the article's file; null until then. */
  exportedAt: string | null;
}

export interface LearnedFilter {
  /** Include the phrasings already exported to the knowledge files (default: only those not yet exported). */
  includeExported?: boolean;
}

/**
 * A question the bot answers well, for /faq: an article and a question (grouped as the queue groups repeats) that
 * was answered often, voted helpful, or resolved by an editor with that article.
 */
export interface FaqEntry {
  /** Stable short id of the (article, question) pair, as /faq-edit names it (faqKey). */
  key: string;
  slug: string;
  question: string;
  /** Times /ask answered the question with the article. */
  served: number;
  helpful: number;
  notHelpful: number;
  /** Resolved by an editor with the article: how many times it was reported before (0 when not resolved). */
  resolvedReports: number;
  resolved: boolean;
  pinned: boolean;
  hidden: boolean;
}

export type FaqState = 'pinned' | 'hidden';

export interface QuestionStore extends QuestionSink, AskLog {
  /** Durable before the promise resolves; with an identity, a report id already stored is not stored again. */
  report(report: QuestionReport, identity?: ReportIdentity): Promise<StoredReportOutcome>;
  get(id: number): Promise<QuestionGroup | null>;
  /** Most reported first. */
  list(filter: { status?: QuestionStatus; limit?: number }): Promise<QuestionGroup[]>;
  /** null when there is no such group. */
  setStatus(id: number, change: StatusChange): Promise<StatusChangeOutcome | null>;
  askers(id: number): Promise<Asker[]>;
  /** Records the group's editors'-channel post (and ends the claim on it). */
  setEditorsMessage(id: number, message: { channelId: string; messageId: string }): Promise<void>;
  /**
   * Claims the right to post an open group that has no editors'-channel post yet; false when it has one, or another
   * report (of this process or another replica) holds an unexpired claim. The report that creates a group holds
   * the claim already (isNew), so it need not call this.
   */
  claimEditorsPost(id: number): Promise<boolean>;
  /** Gives a claim back unused (the member's post cap was reached, or the post failed), so a later repeat may post. */
  releaseEditorsPost(id: number): Promise<void>;
  stats(since: Date, options?: StatsOptions): Promise<QuestionStats>;
  exportRows(filter: { status?: QuestionStatus }): Promise<ExportRow[]>;
  /** The member's current vote on an answer, null if none. */
  voteOf(answer: VotedAnswer, userId: string): Promise<VoteValue | null>;
  /** Stores a vote, replacing the member's earlier vote on the same answer; durable before the promise resolves. */
  vote(vote: VoteInput): Promise<VoteOutcome>;
  /** Learned phrasings, by article slug then as learned. */
  learnedPhrasings(filter?: LearnedFilter): Promise<LearnedPhrasingRow[]>;
  /**
   * Stores the group's question, and every other wording of it its reports used (one per normalised text), as
   * phrasings of the article; a group learned before for another article is learned for this one instead.
   * Returns the group's phrasings now, or null when there is no such group.
   */
  learn(groupId: number, slug: string, editorId: string): Promise<LearnedPhrasingRow[] | null>;
  /** Forgets the group's phrasings (exported or not); returns those removed. */
  unlearn(groupId: number): Promise<LearnedPhrasingRow[]>;
  /** Records that these phrasings were written into the knowledge files. */
  markExported(ids: readonly number[]): Promise<void>;
  /**
   * Every (article, question) pair answered, voted on, resolved or pinned, with its figures and the editors'
   * pin or hide: the candidates of /faq (which ones answer well is featuredQuestions' rule, in faq.ts).
   */
  faqCandidates(): Promise<FaqEntry[]>;
  /** Pins or hides a /faq entry (null: back to the rule's choice). */
  setFaqState(entry: { slug: string; question: string }, state: FaqState | null, editorId: string): Promise<void>;
  /** SQLite closes at once; PostgreSQL ends its connection pool. */
  close(): void | Promise<void>;
}
