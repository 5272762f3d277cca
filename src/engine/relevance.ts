/**
 * Every relevance and confidence choice of the engine, in one place, with the reason for it.
 * Figures quoted are from `npm run eval` (FiQA-mini and the shipped question set); see README "Relevance".
 */
export const RELEVANCE = {
  /**
   * Orama is the inverted index and the candidate generator. Its own BM25 uses tf = count / field length on top of
   * BM25's length normalisation (length counts twice) and expands every query token as a prefix, which measured
   * far below plain BM25 (FiQA-mini nDCG@10 0.276 with defaults). So: tokens carry an end marker (no prefix
   * expansion), are de-duplicated per field (Orama's score becomes an IDF-weighted count of matched terms, a good
   * coordination ranking for recall), and the best CANDIDATES are re-scored below with proper BM25F. 100, not 150:
   * `npm run eval` gives the same figures on all three sets from 100 up (one question set answer changes at 60),
   * and re-scoring is the largest part of an answer (see README "Performance").
   */
  candidates: 100,
  oramaRelevance: { k: 1.2, b: 0.3, d: 0.5 },

  /** BM25F re-scoring: standard k1/b; title and glossary names weigh more than body text. */
  k1: 1.5,
  fields: {
    title: { weight: 2, b: 0.3 },
    section: { weight: 1.5, b: 0.3 },
    body: { weight: 1, b: 0.75 },
  },
  /**
   * An article's `asked` phrasings (members' other ways to ask its question) are one more BM25F field of each of its
   * passages, like its tags. But not in Orama (so they bring no candidate on their own: see askedMatch), not in the
   * document frequency (how rare a word is stays a fact of the knowledge text: counted, they made "stock" and "buy"
   * weigh less and "which stock should I buy today" was answered), and not in the coverage the confidence rule
   * reads (they say how members ask, not what the passage says). With 10 phrasings per article, the right article or
   * term is the top result for 0.937 of tests/eval/questions, against 0.910 without them; 20 per article (a second,
   * more varied round) gave 0.910: more phrasings reach into sibling articles, so that round was not shipped.
   */
  askedField: { weight: 1, b: 0.3 },

  /**
   * All-terms-first, softly: the BM25F score is multiplied by coverage^COVERAGE_POWER, where coverage is the
   * IDF-weighted share of the question's informative terms found in the passage (or its title). A passage that
   * matches every term outranks one that matches a single rare term many times.
   */
  coveragePower: 1,

  /**
   * A question that names glossary terms or aliases ("what is contango", "straddle vs strangle") is about them:
   * a doc whose title, heading, tags or names contain those names has its score multiplied by
   * 1 + NAMED_TERM_BOOST x (share of the named terms it is about). Coverage still applies, so a longer question
   * about one aspect ("how do I roll the tested side of an iron condor") still prefers the article that covers it.
   */
  namedTermBoost: 0.5,
  /**
   * The glossary entry of a name the question uses ("what is the VIX" -> the VIX entry) is the most direct answer
   * to it, ahead of entries and articles that merely mention the name (VVIX, "VIX of VIX"): its score gets
   * 1 + EXACT_ENTRY_BOOST x the IDF-weighted share of the question that is its name, so "what is a bull put
   * spread" goes to the entry and "how do I calculate max loss on a bull put spread" to an article.
   */
  exactEntryBoost: 2,
  /**
   * A glossary entry defines its name; a question that asks more than the name ("why is a long variance swap convex
   * in volatility", "poor mans covered call using leaps, how far apart should the strikes be") is better answered
   * by an article. An entry's score is multiplied by 1 - ENTRY_FOCUS + ENTRY_FOCUS x (the share of the question
   * that is its name): unchanged for "what is a variance swap", 0.4 for a question that never names it.
   */
  entryFocus: 0.6,
  /**
   * Titles are questions as members phrase them, and headings and tags say what a passage is about: the score is
   * multiplied by 1 + TOPIC_BOOST x the question's coverage in those fields.
   */
  topicBoost: 1,

  /** Alias expansion ("IV" -> implied volatility): expansion terms score at this fraction of the typed ones. */
  expansionWeight: 0.7,

  /**
   * Typo tolerance only where it helps: only for question words the index does not know, at least 4 letters long,
   * within 1 edit (2 from 8 letters; a swap of two letters is one edit), towards the most frequent known word with
   * the same first letter. Shorter tokens are never corrected: with tolerance 1, "P/E" matched "ad" in Orama's
   * own fuzzy search.
   */
  typo: { minLength: 4, longFrom: 8, scoreWeight: 0.8, coverageCredit: 0.8 },

  /**
   * Answerability, from query-relative features only (raw BM25 scores are not comparable across questions); see
   * judgeConfidence. The figures below define four rules that were the whole decision until 2026-12 and are now
   * evidence for the confidence model (MODEL): (1) the IDF-weighted coverage of the best result, its topic coverage
   * (the part of the question that its title, heading, tags or names carry) and its margin over the next result:
   * confidence = COVERAGE_WEIGHT x coverage + TOPIC_WEIGHT x topic + MARGIN_WEIGHT x min(1, margin x MARGIN_SCALE).
   * (2) NAMED: the typed glossary names are at least MIN_SHARE of the question's IDF weight, the result is about all
   * of them, and it covers at least MIN_COVERAGE. (3) TOPIC_MASS: the question's typed words found in the result's
   * title, heading, tags or names weigh at least MIN in IDF, with coverage at least MIN_COVERAGE. (4) ASKED_MATCH:
   * the question matches one of the article's `asked` phrasings at least this well (askedMatch in asked.ts).
   * (1) to (4) were chosen on tests/eval/questions; on real members' long questions they answered wrongly one
   * covered question in seven (tests/eval/members), which the model corrects.
   */
  answer: {
    minCoverage: 0.6,
    minTopicCoverage: 0.2,
    minConfidence: 0.55,
    coverageWeight: 0.3,
    topicWeight: 0.5,
    marginWeight: 0.2,
    marginScale: 4,
    named: { minShare: 0.3, minCoverage: 0.5 },
    topicMass: { min: 4, minCoverage: 0.5 },
    askedMatch: 0.45,
    /**
     * The confidence model (judgeConfidence): the probability that the best result is a right answer, a logistic
     * model over the evidence of confidenceFeatures, fitted (L2 0.01) on the tuning part of tests/eval/members
     * (counted twice) and tests/eval/questions: label 1 when the best result is an accepted answer. Answer when the
     * probability reaches THRESHOLD, or THRESHOLD_WITH_RULE when one of the four rules above holds. The cost of a
     * wrong answer is higher than that of a miss: of the settings measured on the tuning part (threshold 0.4 to 0.8,
     * with-rule 0.2 to 0.5), this is the one with the most right answers whose wrong answers stay under 8% of the
     * covered questions and outside answers under 4%. Figures of each part in README "Relevance".
     */
    model: {
      bias: -2.811,
      weights: {
        coverage: 0.466,
        topicCoverage: 0.46,
        margin: 0.347,
        askedMatch: 0.78,
        aboutNamed: 0.906,
        namedShare: 0.871,
        topicMass: 0.915,
        coversQuestion: 0.209,
        aboutNamedTerms: 0.095,
        aboutRareWords: 0.795,
        askedThatWay: 0.793,
        glossary: 0.865,
        unknownShare: -0.497,
        length: 0.384,
        agreement: 0.576,
      },
      threshold: 0.7,
      thresholdWithRule: 0.5,
    },
  },

  /**
   * The question's focus (questionFocus in query.ts): in a question of several sentences, the words of the sentences
   * that do not ask (not the first, not ending in "?") weigh this much. Members' forum posts tell a story around the
   * question. Chosen on the tuning part of tests/eval/members (2026-12-05; 1, 0.6, 0.3, 0.15 measured): 0.3 answered
   * the most with the right slug ranked first most often; the question sets were unchanged within one question.
   */
  focus: { story: 0.3 },

  /**
   * Choosing the passage of an answering article (answeringPassage in passage.ts): a passage's score relative to the
   * article's best, plus HEADING_WEIGHT x the share of the question in its heading; a passage of another section
   * within SECOND_SHARE of the best is shown too, each in half the space. On the tuning part of tests/eval/members the
   * excerpt came from the labelled section for 17 of 33 right answers with the best-scoring passage alone, 18 with
   * the heading weight (0.25; 0.5 to 2 did no better) and 19 with the second passage (0.7 to 0.9 the same).
   */
  passage: { headingWeight: 0.25, secondShare: 0.8 },

  /** Results returned to callers (JSON `results`). */
  maxResults: 10,
} as const;
