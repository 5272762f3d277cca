import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  GROUP_DETAIL_SELECT,
  REPORT_COLUMNS,
  reportValues,
  toExportRow,
  toGroup,
  toLearned,
  type GroupDetailRow,
  type GroupRow,
  type LearnedRow,
} from './rows.js';
import { faqKey, groupKey, normalizeQuestion, storableText } from './normalize.js';
import type { QuestionKind, QuestionReport } from './sink.js';
import { DUPLICATE_WINDOW_MS, EDITORS_POST_CLAIM_MS } from './store.js';
import type {
  ArticleStats,
  Asker,
  AskRecord,
  ExportRow,
  FaqEntry,
  FaqState,
  LearnedFilter,
  LearnedPhrasingRow,
  QuestionGroup,
  QuestionStats,
  QuestionStatus,
  QuestionStore,
  ReportIdentity,
  StatusChange,
  StatsOptions,
  StatusChangeOutcome,
  StoredReportOutcome,
  VoteInput,
  VoteOutcome,
  VotedAnswer,
  VoteValue,
} from './store.js';

export const DATABASE_FILE = 'questions.sqlite';

/**
 * Whether a write failed because of the report itself (a constraint it breaks, a value SQLite cannot take) rather
 * than the store's state (locked, read-only, full, I/O): retrying the first cannot help.
 */
export function isReportRejected(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

export { DUPLICATE_WINDOW_MS };

/** Claims kept in memory before the lapsed ones are dropped. */
const MAX_POST_CLAIMS = 1000;

/**
 * Schema migrations, applied in order on open; PRAGMA user_version records how many ran. Append only: never
 * edit a migration that has shipped.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE question_groups (
     id INTEGER PRIMARY KEY,
     normalized TEXT NOT NULL UNIQUE,
     question TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'dismissed')),
     report_count INTEGER NOT NULL DEFAULT 0,
     first_at TEXT NOT NULL,
     last_at TEXT NOT NULL,
     resolved_slug TEXT,
     resolved_by TEXT,
     resolved_at TEXT,
     editors_channel_id TEXT,
     editors_message_id TEXT
   );
   CREATE INDEX question_groups_by_status ON question_groups (status, report_count DESC, last_at DESC);
   CREATE TABLE question_reports (
     id INTEGER PRIMARY KEY,
     group_id INTEGER NOT NULL REFERENCES question_groups (id),
     kind TEXT NOT NULL CHECK (kind IN ('unanswered', 'flagged', 'not_helpful')),
     question TEXT NOT NULL,
     normalized TEXT NOT NULL,
     user_id TEXT NOT NULL,
     guild_id TEXT,
     channel_id TEXT,
     asked_at TEXT NOT NULL,
     answered_slug TEXT,
     answered_kind TEXT,
     confidence REAL,
     guess_slug TEXT,
     guess_kind TEXT,
     guess_title TEXT,
     note TEXT
   );
   CREATE INDEX question_reports_by_group ON question_reports (group_id, user_id, asked_at);
   CREATE INDEX question_reports_by_time ON question_reports (asked_at);
   CREATE TABLE asks (
     id INTEGER PRIMARY KEY,
     asked_at TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('answered', 'unanswered')),
     slug TEXT,
     kind TEXT,
     confidence REAL,
     guild_id TEXT
   );
   CREATE INDEX asks_by_time ON asks (asked_at);`,
  // 2: members' Helpful / Not helpful votes, one per member and answer (the answer's slug and the question it
  // answered, grouped as the queue groups repeats); voting again replaces the vote.
  `CREATE TABLE votes (
     id INTEGER PRIMARY KEY,
     answer_kind TEXT NOT NULL CHECK (answer_kind IN ('article', 'glossary')),
     slug TEXT NOT NULL,
     normalized TEXT NOT NULL,
     question TEXT NOT NULL,
     user_id TEXT NOT NULL,
     guild_id TEXT,
     channel_id TEXT,
     helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
     first_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (answer_kind, slug, normalized, user_id)
   );
   CREATE INDEX votes_by_answer ON votes (slug, answer_kind, updated_at);
   CREATE INDEX votes_by_time ON votes (updated_at);`,
  // 3: the id a report gets when the bot first takes it, so that replaying it from the spool after a store outage
  // (or after a write that timed out but went through) stores it once. Older rows have none.
  `ALTER TABLE question_reports ADD COLUMN report_id TEXT;
   CREATE UNIQUE INDEX question_reports_by_report_id ON question_reports (report_id) WHERE report_id IS NOT NULL;`,
  // 4: learned phrasings: a resolved question's wordings, searched as the article's `asked` list until exported
  // to the knowledge files (exported_at); one per article and normalised text.
  `CREATE TABLE learned_phrasings (
     id INTEGER PRIMARY KEY,
     group_id INTEGER NOT NULL REFERENCES question_groups (id),
     slug TEXT NOT NULL,
     text TEXT NOT NULL,
     normalized TEXT NOT NULL,
     resolved_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     exported_at TEXT,
     UNIQUE (slug, normalized)
   );
   CREATE INDEX learned_phrasings_by_group ON learned_phrasings (group_id);`,
  // 5: /faq: how often each question (grouped as the queue groups repeats) was answered with each article, counted
  // as it is served (so /faq reads one row per question, not every ask), and the editors' pins and hides.
  `CREATE TABLE answered_questions (
     id INTEGER PRIMARY KEY,
     slug TEXT NOT NULL,
     normalized TEXT NOT NULL,
     question TEXT NOT NULL,
     served INTEGER NOT NULL,
     first_at TEXT NOT NULL,
     last_at TEXT NOT NULL,
     UNIQUE (slug, normalized)
   );
   CREATE TABLE faq_states (
     id INTEGER PRIMARY KEY,
     slug TEXT NOT NULL,
     normalized TEXT NOT NULL,
     question TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pinned', 'hidden')),
     editor_id TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (slug, normalized)
   );`,
];

/** The schema version this code writes (PRAGMA user_version once every migration ran). */
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface SqliteStoreOptions {
  /** Clock for timestamps (tests pin it). */
  now?: () => Date;
  /** Refuse to create a new database (the export CLI must not invent an empty one). */
  mustExist?: boolean;
  /**
   * How long a write waits for another connection's lock (default 5 s, for the CLIs). better-sqlite3 waits on the
   * event loop, so the bot passes a short one: a locked file must not hold up every member's answer.
   */
  busyTimeoutMs?: number;
}

/**
 * The embedded default store: one SQLite file under DATA_DIR, WAL mode, synchronous=FULL so that a report is
 * on disk before `report` resolves ("write before you reply": a crash after the member's reply loses nothing).
 */
export class SqliteQuestionStore implements QuestionStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly now: () => Date;
  /**
   * Claims on editors'-channel posts (group id -> when claimed). In memory: one process owns a SQLite file; the
   * PostgreSQL store keeps them in the database because replicas share it.
   */
  private readonly postClaims = new Map<number, number>();

  constructor(dataDir: string, options: SqliteStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.file = path.join(path.resolve(dataDir), DATABASE_FILE);
    if (!options.mustExist) mkdirSync(path.dirname(this.file), { recursive: true });
    this.db = new Database(this.file, { fileMustExist: options.mustExist ?? false });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // The bot and the export CLI may open the file at the same time.
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    if (options.busyTimeoutMs !== undefined) this.db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs))}`);
  }

  private version(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private migrate(): void {
    const version = this.version();
    if (version > MIGRATIONS.length) {
      throw new Error(`${this.file} has schema version ${version}, newer than this bot knows (${MIGRATIONS.length}); upgrade the bot`);
    }
    for (let target = version + 1; target <= MIGRATIONS.length; target++) {
      // Immediate, and the version read again inside: the bot and the export CLI opening an old file at the same
      // moment run each migration once (the second waits for the lock, then finds it done).
      this.db
        .transaction(() => {
          if (this.version() >= target) return;
          this.db.exec(MIGRATIONS[target - 1] as string);
          this.db.pragma(`user_version = ${target}`);
        })
        .immediate();
    }
  }

  async report(report: QuestionReport, identity?: ReportIdentity): Promise<StoredReportOutcome> {
    return this.reportSync(report, identity);
  }

  private reportSync(report: QuestionReport, identity: ReportIdentity | undefined): StoredReportOutcome {
    const question = storableText(report.question);
    // Text with no letters or digits ("???") still gets its own group rather than one shared empty key.
    const normalized = groupKey(question);
    const note = report.note ? storableText(report.note) || null : null;
    const at = (identity?.reportedAt ?? this.now()).toISOString();
    const reportId = identity?.reportId ?? null;

    return this.db
      .transaction((): StoredReportOutcome => {
        if (reportId !== null) {
          const stored = this.db
            .prepare('SELECT g.id, g.report_count, g.status FROM question_reports r JOIN question_groups g ON g.id = r.group_id WHERE r.report_id = ?')
            .get(reportId) as { id: number; report_count: number; status: QuestionStatus } | undefined;
          if (stored) {
            return {
              questionId: stored.id,
              isNew: false,
              count: stored.report_count,
              status: stored.status,
              duplicate: true,
              reopened: false,
              alreadyStored: true,
            };
          }
        }
        let group = this.db.prepare('SELECT * FROM question_groups WHERE normalized = ?').get(normalized) as GroupRow | undefined;
        if (group) {
          const since = new Date(Date.parse(at) - DUPLICATE_WINDOW_MS).toISOString();
          const duplicate = this.db
            .prepare(`SELECT 1 FROM question_reports WHERE group_id = ? AND user_id = ? AND kind = ? AND COALESCE(note, '') = ? AND asked_at >= ? LIMIT 1`)
            .get(group.id, report.userId, report.kind, note ?? '', since);
          if (duplicate) return { questionId: group.id, isNew: false, count: group.report_count, status: group.status, duplicate: true, reopened: false };
        }

        let isNew = false;
        let reopened = false;
        if (!group) {
          const id = this.db
            .prepare('INSERT INTO question_groups (normalized, question, first_at, last_at) VALUES (?, ?, ?, ?)')
            .run(normalized, question, at, at).lastInsertRowid;
          group = this.db.prepare('SELECT * FROM question_groups WHERE id = ?').get(id) as GroupRow;
          isNew = true;
          this.claimPost(group.id, Date.parse(at));
        } else if (group.status === 'answered') {
          reopened = true;
        }
        this.db
          .prepare(
            `INSERT INTO question_reports (${REPORT_COLUMNS}) VALUES (${REPORT_COLUMNS.split(',')
              .map(() => '?')
              .join(', ')})`,
          )
          .run(...reportValues(group.id, report, { question, normalized, at, note, reportId }));
        const status: QuestionStatus = reopened ? 'open' : group.status;
        this.db.prepare('UPDATE question_groups SET report_count = report_count + 1, last_at = ?, status = ? WHERE id = ?').run(at, status, group.id);
        return { questionId: group.id, isNew, count: group.report_count + 1, status, duplicate: false, reopened };
      })
      .immediate();
  }

  /**
   * Stats rows are written on every /ask, before the reply, so they commit with synchronous = NORMAL: in WAL mode
   * that survives a crash or kill -9 of the bot (the write is in the OS's hands) and skips the fsync that cost
   * 4 ms at p50 and 20-30 ms at p99 per answer (npm run bench:bot). Members' questions keep FULL: they also
   * survive a power cut.
   */
  async recordAsk(ask: AskRecord): Promise<void> {
    this.db.pragma('synchronous = NORMAL');
    const at = this.now().toISOString();
    const question = ask.status === 'answered' && ask.kind === 'article' && ask.slug && ask.question ? storableText(ask.question) : '';
    try {
      this.db.transaction(() => {
        this.db
          .prepare('INSERT INTO asks (asked_at, status, slug, kind, confidence, guild_id) VALUES (?, ?, ?, ?, ?, ?)')
          .run(at, ask.status, ask.slug ?? null, ask.slug ? (ask.kind ?? null) : null, ask.confidence ?? null, ask.guildId ?? null);
        if (!question) return;
        this.db
          .prepare(
            `INSERT INTO answered_questions (slug, normalized, question, served, first_at, last_at) VALUES (?, ?, ?, 1, ?, ?)
             ON CONFLICT (slug, normalized) DO UPDATE SET served = served + 1, last_at = excluded.last_at`,
          )
          .run(ask.slug, groupKey(question), question, at, at);
      })();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  private getSync(id: number): QuestionGroup | null {
    const row = this.db.prepare(`${GROUP_DETAIL_SELECT} WHERE g.id = ?`).get(id) as GroupDetailRow | undefined;
    return row ? toGroup(row) : null;
  }

  async get(id: number): Promise<QuestionGroup | null> {
    return this.getSync(id);
  }

  async list(filter: { status?: QuestionStatus; limit?: number }): Promise<QuestionGroup[]> {
    const rows = this.db
      .prepare(`${GROUP_DETAIL_SELECT} WHERE (@status IS NULL OR g.status = @status) ORDER BY g.report_count DESC, g.last_at DESC, g.id LIMIT @limit`)
      .all({ status: filter.status ?? null, limit: filter.limit ?? -1 }) as GroupDetailRow[];
    return rows.map(toGroup);
  }

  async setStatus(id: number, change: StatusChange): Promise<StatusChangeOutcome | null> {
    return this.db
      .transaction((): StatusChangeOutcome | null => {
        const before = this.db.prepare('SELECT status, resolved_slug FROM question_groups WHERE id = ?').get(id) as
          Pick<GroupRow, 'status' | 'resolved_slug'> | undefined;
        if (!before) return null;
        this.db
          .prepare('UPDATE question_groups SET status = ?, resolved_slug = ?, resolved_by = ?, resolved_at = ? WHERE id = ?')
          .run(change.status, change.status === 'answered' ? change.articleSlug : null, change.editorId, this.now().toISOString(), id);
        return { group: this.getSync(id) as QuestionGroup, previousStatus: before.status, previousSlug: before.resolved_slug };
      })
      .immediate();
  }

  async askers(id: number): Promise<Asker[]> {
    // SQLite takes the bare columns from the row holding MAX(id): each member's latest report.
    const rows = this.db
      .prepare(
        `SELECT user_id, guild_id, channel_id, asked_at AS last_at, MAX(id) AS latest FROM question_reports WHERE group_id = ?
         GROUP BY user_id ORDER BY latest`,
      )
      .all(id) as Array<{ user_id: string; guild_id: string | null; channel_id: string | null; last_at: string }>;
    return rows.map((row) => ({ userId: row.user_id, guildId: row.guild_id, channelId: row.channel_id, lastAskedAt: row.last_at }));
  }

  async setEditorsMessage(id: number, message: { channelId: string; messageId: string }): Promise<void> {
    this.db.prepare('UPDATE question_groups SET editors_channel_id = ?, editors_message_id = ? WHERE id = ?').run(message.channelId, message.messageId, id);
    this.postClaims.delete(id);
  }

  async claimEditorsPost(id: number): Promise<boolean> {
    const group = this.db.prepare('SELECT status, editors_message_id FROM question_groups WHERE id = ?').get(id) as
      Pick<GroupRow, 'status' | 'editors_message_id'> | undefined;
    if (!group || group.status !== 'open' || group.editors_message_id !== null) return false;
    const now = this.now().getTime();
    const claimedAt = this.postClaims.get(id);
    if (claimedAt !== undefined && now - claimedAt < EDITORS_POST_CLAIM_MS) return false;
    this.claimPost(id, now);
    return true;
  }

  private claimPost(id: number, at: number): void {
    this.postClaims.set(id, at);
    // Without an editors' channel nothing posts or gives claims back: lapsed ones are dropped as they pile up.
    if (this.postClaims.size > MAX_POST_CLAIMS) {
      for (const [claimed, when] of this.postClaims) if (at - when >= EDITORS_POST_CLAIM_MS) this.postClaims.delete(claimed);
    }
  }

  async releaseEditorsPost(id: number): Promise<void> {
    this.postClaims.delete(id);
  }

  async stats(since: Date, options: StatsOptions = {}): Promise<QuestionStats> {
    const { top = 5, articles: articleCount = 5, questionsPerArticle = 3 } = options;
    const from = since.toISOString();
    const asks = this.db.prepare(`SELECT COUNT(*) AS asks, COALESCE(SUM(status = 'answered'), 0) AS answered FROM asks WHERE asked_at >= ?`).get(from) as {
      asks: number;
      answered: number;
    };
    const reports: Record<QuestionKind, number> = { unanswered: 0, flagged: 0, not_helpful: 0 };
    const kindRows = this.db.prepare('SELECT kind, COUNT(*) AS n FROM question_reports WHERE asked_at >= ? GROUP BY kind').all(from) as Array<{
      kind: QuestionKind;
      n: number;
    }>;
    for (const row of kindRows) reports[row.kind] = row.n;
    const mostAsked = this.db
      .prepare(
        `SELECT g.id, g.question, g.status, COUNT(*) AS count FROM question_reports r JOIN question_groups g ON g.id = r.group_id
         WHERE r.asked_at >= ? GROUP BY g.id ORDER BY count DESC, MAX(r.asked_at) DESC LIMIT ?`,
      )
      .all(from, top) as QuestionStats['mostAsked'];
    const openQueue = this.db
      .prepare(`SELECT COUNT(*) AS open, COALESCE(SUM(last_at >= ?), 0) AS askedInPeriod FROM question_groups WHERE status = 'open'`)
      .get(from) as QuestionStats['openQueue'];
    return {
      since: from,
      asks: asks.asks,
      answered: asks.answered,
      answerRate: asks.asks ? asks.answered / asks.asks : null,
      reports,
      mostAsked,
      openQueue,
      articles: this.articleStats(from, articleCount, questionsPerArticle),
    };
  }

  /** Served and voted answers of the period, most served first, with their most "not helpful" questions. */
  private articleStats(from: string, limit: number, questionsPerArticle: number): ArticleStats[] {
    const rows = this.db
      .prepare(
        `WITH served AS (
           SELECT slug, kind, COUNT(*) AS served FROM asks
           WHERE asked_at >= @from AND status = 'answered' AND slug IS NOT NULL GROUP BY slug, kind),
         voted AS (
           SELECT slug, answer_kind AS kind, SUM(helpful) AS helpful, SUM(1 - helpful) AS not_helpful FROM votes
           WHERE updated_at >= @from GROUP BY slug, answer_kind),
         answers AS (SELECT slug, kind FROM served UNION SELECT slug, kind FROM voted)
         SELECT a.slug, a.kind, COALESCE(s.served, 0) AS served, COALESCE(v.helpful, 0) AS helpful, COALESCE(v.not_helpful, 0) AS notHelpful
         FROM answers a
         LEFT JOIN served s ON s.slug = a.slug AND s.kind IS a.kind
         LEFT JOIN voted v ON v.slug = a.slug AND v.kind IS a.kind
         ORDER BY served DESC, helpful + notHelpful DESC, notHelpful DESC, a.slug
         LIMIT @limit`,
      )
      .all({ from, limit }) as Array<Omit<ArticleStats, 'notHelpfulQuestions'>>;
    // SQLite takes the bare question from the row holding MIN(id): the wording of the first such vote.
    const questions = this.db.prepare(
      `SELECT question, COUNT(*) AS count, MIN(id) AS first FROM votes
       WHERE slug = ? AND answer_kind IS ? AND helpful = 0 AND updated_at >= ?
       GROUP BY normalized ORDER BY count DESC, MAX(updated_at) DESC, first LIMIT ?`,
    );
    return rows.map((row) => ({
      ...row,
      notHelpfulQuestions: (questions.all(row.slug, row.kind, from, questionsPerArticle) as Array<{ question: string; count: number }>).map(
        ({ question, count }) => ({ question, count }),
      ),
    }));
  }

  async exportRows(filter: { status?: QuestionStatus }): Promise<ExportRow[]> {
    const groups = await this.list(filter);
    const notesOf = this.db.prepare(`SELECT note FROM question_reports WHERE group_id = ? AND note IS NOT NULL GROUP BY note ORDER BY MIN(id)`);
    return groups.map((group) =>
      toExportRow(
        group,
        (notesOf.all(group.id) as Array<{ note: string }>).map((row) => row.note),
      ),
    );
  }

  private answerKey(answer: VotedAnswer): { kind: string; slug: string; normalized: string; question: string } {
    const question = storableText(answer.question);
    return { kind: answer.kind, slug: answer.slug, normalized: groupKey(question), question };
  }

  private voteOfSync(key: { kind: string; slug: string; normalized: string }, userId: string): VoteValue | null {
    const row = this.db
      .prepare('SELECT helpful FROM votes WHERE answer_kind = ? AND slug = ? AND normalized = ? AND user_id = ?')
      .get(key.kind, key.slug, key.normalized, userId) as { helpful: 0 | 1 } | undefined;
    return row ? (row.helpful ? 'helpful' : 'not_helpful') : null;
  }

  async voteOf(answer: VotedAnswer, userId: string): Promise<VoteValue | null> {
    return this.voteOfSync(this.answerKey(answer), userId);
  }

  async vote(vote: VoteInput): Promise<VoteOutcome> {
    const key = this.answerKey(vote);
    const at = this.now().toISOString();
    return this.db
      .transaction((): VoteOutcome => {
        const previous = this.voteOfSync(key, vote.userId);
        if (previous === vote.value) return { value: vote.value, previous };
        this.db
          .prepare(
            `INSERT INTO votes (answer_kind, slug, normalized, question, user_id, guild_id, channel_id, helpful, first_at, updated_at)
           VALUES (@kind, @slug, @normalized, @question, @userId, @guildId, @channelId, @helpful, @at, @at)
           ON CONFLICT (answer_kind, slug, normalized, user_id)
           DO UPDATE SET helpful = excluded.helpful, updated_at = excluded.updated_at, guild_id = excluded.guild_id, channel_id = excluded.channel_id`,
          )
          .run({ ...key, userId: vote.userId, guildId: vote.guildId, channelId: vote.channelId, helpful: vote.value === 'helpful' ? 1 : 0, at });
        return { value: vote.value, previous };
      })
      .immediate();
  }

  async learnedPhrasings(filter: LearnedFilter = {}): Promise<LearnedPhrasingRow[]> {
    const rows = this.db
      .prepare(`SELECT * FROM learned_phrasings WHERE (@all OR exported_at IS NULL) ORDER BY slug, id`)
      .all({ all: filter.includeExported ? 1 : 0 }) as LearnedRow[];
    return rows.map(toLearned);
  }

  private learnedOf(groupId: number): LearnedPhrasingRow[] {
    return (this.db.prepare('SELECT * FROM learned_phrasings WHERE group_id = ? ORDER BY id').all(groupId) as LearnedRow[]).map(toLearned);
  }

  async learn(groupId: number, slug: string, editorId: string): Promise<LearnedPhrasingRow[] | null> {
    const at = this.now().toISOString();
    return this.db
      .transaction((): LearnedPhrasingRow[] | null => {
        const group = this.db.prepare('SELECT question FROM question_groups WHERE id = ?').get(groupId) as { question: string } | undefined;
        if (!group) return null;
        // Resolved with another article now: what the group taught before is wrong.
        this.db.prepare('DELETE FROM learned_phrasings WHERE group_id = ? AND slug <> ?').run(groupId, slug);
        const reports = this.db.prepare('SELECT question FROM question_reports WHERE group_id = ? ORDER BY id').all(groupId) as Array<{ question: string }>;
        const insert = this.db.prepare(
          `INSERT INTO learned_phrasings (group_id, slug, text, normalized, resolved_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (slug, normalized) DO NOTHING`,
        );
        for (const { question } of [group, ...reports]) {
          const text = storableText(question);
          const normalized = normalizeQuestion(text);
          // A text with no words teaches nothing.
          if (normalized) insert.run(groupId, slug, text, normalized, editorId, at);
        }
        return this.learnedOf(groupId);
      })
      .immediate();
  }

  async unlearn(groupId: number): Promise<LearnedPhrasingRow[]> {
    return this.db
      .transaction((): LearnedPhrasingRow[] => {
        const removed = this.learnedOf(groupId);
        this.db.prepare('DELETE FROM learned_phrasings WHERE group_id = ?').run(groupId);
        return removed;
      })
      .immediate();
  }

  async markExported(ids: readonly number[]): Promise<void> {
    const at = this.now().toISOString();
    const mark = this.db.prepare('UPDATE learned_phrasings SET exported_at = ? WHERE id = ? AND exported_at IS NULL');
    this.db.transaction(() => {
      for (const id of ids) mark.run(at, id);
    })();
  }

  async faqCandidates(): Promise<FaqEntry[]> {
    // SQLite takes a group's bare question from the row holding MIN(id): the first wording of each.
    const rows = this.db
      .prepare(
        `WITH served AS (SELECT slug, normalized, question, served FROM answered_questions),
         voted AS (
           SELECT slug, normalized, question, SUM(helpful) AS helpful, SUM(1 - helpful) AS not_helpful, MIN(id) AS first FROM votes
           WHERE answer_kind = 'article' GROUP BY slug, normalized),
         resolved AS (
           SELECT resolved_slug AS slug, normalized, question, report_count FROM question_groups WHERE status = 'answered' AND resolved_slug IS NOT NULL),
         pairs AS (
           SELECT slug, normalized FROM served UNION SELECT slug, normalized FROM voted UNION SELECT slug, normalized FROM resolved
           UNION SELECT slug, normalized FROM faq_states WHERE state = 'pinned')
         SELECT p.slug, p.normalized, COALESCE(r.question, s.question, v.question, f.question) AS question,
           COALESCE(s.served, 0) AS served, COALESCE(v.helpful, 0) AS helpful, COALESCE(v.not_helpful, 0) AS not_helpful,
           COALESCE(r.report_count, 0) AS resolved_reports, r.slug IS NOT NULL AS resolved, f.state
         FROM pairs p
         LEFT JOIN served s ON s.slug = p.slug AND s.normalized = p.normalized
         LEFT JOIN voted v ON v.slug = p.slug AND v.normalized = p.normalized
         LEFT JOIN resolved r ON r.slug = p.slug AND r.normalized = p.normalized
         LEFT JOIN faq_states f ON f.slug = p.slug AND f.normalized = p.normalized
         ORDER BY p.slug, p.normalized`,
      )
      .all() as Array<{
      slug: string;
      normalized: string;
      question: string;
      served: number;
      helpful: number;
      not_helpful: number;
      resolved_reports: number;
      resolved: 0 | 1;
      state: FaqState | null;
    }>;
    return rows.map((row) => ({
      key: faqKey(row.slug, row.normalized),
      slug: row.slug,
      question: row.question,
      served: row.served,
      helpful: row.helpful,
      notHelpful: row.not_helpful,
      resolvedReports: row.resolved_reports,
      resolved: row.resolved === 1,
      pinned: row.state === 'pinned',
      hidden: row.state === 'hidden',
    }));
  }

  async setFaqState(entry: { slug: string; question: string }, state: FaqState | null, editorId: string): Promise<void> {
    const question = storableText(entry.question);
    const normalized = groupKey(question);
    if (state === null) {
      this.db.prepare('DELETE FROM faq_states WHERE slug = ? AND normalized = ?').run(entry.slug, normalized);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO faq_states (slug, normalized, question, state, editor_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (slug, normalized) DO UPDATE SET state = excluded.state, editor_id = excluded.editor_id, updated_at = excluded.updated_at`,
      )
      .run(entry.slug, normalized, question, state, editorId, this.now().toISOString());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
