import os from 'node:os';
import type { CorpusResult } from './measure.js';

/** The targets of issue 6, checked against the measured figures. `met` is null when the corpus was not run. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export function checkTargets(results: CorpusResult[]): TargetCheck[] {
  const by = (name: string) => results.find((r) => r.name === name);
  const checks: TargetCheck[] = [];
  const add = (target: string, result: CorpusResult | undefined, value: (r: CorpusResult) => number | null, limit: number, unit: string) => {
    const measured = result ? value(result) : null;
    checks.push({ target, measured: measured === null ? 'not run' : `${measured} ${unit}`, met: measured === null ? null : measured <= limit });
  };
  add('shipped: cold start < 1 s', by('shipped'), (r) => r.coldStartMs, 1000, 'ms');
  add('shipped: answer p99 < 5 ms', by('shipped'), (r) => r.answer.p99, 5, 'ms');
  add('shipped: answer p99 with 500 learned phrasings < 5 ms', by('shipped'), (r) => r.learned?.answer.p99 ?? null, 5, 'ms');
  add('100k: answer p99 < 50 ms', by('100k'), (r) => r.answer.p99, 50, 'ms');
  add('100k: RSS < 1 GB', by('100k'), (r) => r.rssMB, 1024, 'MB');
  add('FIBO 6k glossary: autocomplete p99 < 5 ms', by('fibo'), (r) => r.autocomplete?.p99 ?? null, 5, 'ms');
  add('100k: answer p99 during a reload < 500 ms', by('100k'), (r) => r.answerDuringReload?.p99 ?? null, 500, 'ms');
  for (const result of results) {
    if (!result.minisearch) continue;
    add(`${result.name}: answer p50 / MiniSearch p50 <= 1.0`, result, (r) => ratio(r.answer.p50, r.minisearch!.answer.p50), 1, '');
  }
  return checks;
}

function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 100) / 100 : 0;
}

const fixed = (value: number, digits = 2) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(digits));

function row(cells: string[], widths: number[]): string {
  return `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
}

export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [row(header, widths), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => row(r, widths))].join('\n');
}

export function formatTable(results: CorpusResult[], targets: TargetCheck[], notes: string[], totalMs: number): string {
  const lines: string[] = [];
  lines.push(
    `Ask VixShield bench: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, load average at the end ${os.loadavg()[0]!.toFixed(1)}; total ${(totalMs / 1000).toFixed(0)} s`,
  );
  lines.push('');
  lines.push(
    markdownTable(
      [
        'corpus',
        'passages',
        'glossary',
        'cold start ms (read+index)',
        'heap MB',
        'RSS MB',
        'answer p50 / p99 ms',
        'autocomplete p50 / p99 ms',
        'reload ms',
        'answer during reload p99 ms',
      ],
      results.map((r) => [
        r.name,
        String(r.passages),
        String(r.glossary),
        `${r.coldStartMs} (${r.readMs}+${r.indexMs})`,
        fixed(r.heapMB, 1),
        fixed(r.rssMB, 1),
        `${fixed(r.answer.p50)} / ${fixed(r.answer.p99)}`,
        r.autocomplete ? `${fixed(r.autocomplete.p50, 3)} / ${fixed(r.autocomplete.p99, 3)}` : '-',
        String(r.reloadMs),
        r.answerDuringReload ? fixed(r.answerDuringReload.p99) : '-',
      ]),
    ),
  );
  lines.push('');
  lines.push('Side by side, same corpus and questions (answer = search + best result + excerpt):');
  lines.push('');
  lines.push(
    markdownTable(
      [
        'corpus',
        'questions',
        'engine p50 / p99 ms',
        'MiniSearch p50 / p99 ms (build ms)',
        'BM25 p50 / p99 ms (build ms)',
        'engine/MiniSearch p50',
        'engine/BM25 p50',
        'top-1 same as engine (MS / BM25)',
      ],
      results.map((r) => [
        r.name,
        r.minisearch && r.minisearch.questions !== r.questions ? `${r.questions} (refs: first ${r.minisearch.questions})` : String(r.questions),
        `${fixed(r.answer.p50)} / ${fixed(r.answer.p99)}`,
        r.minisearch ? `${fixed(r.minisearch.answer.p50)} / ${fixed(r.minisearch.answer.p99)} (${r.minisearch.buildMs})` : '-',
        r.bm25 ? `${fixed(r.bm25.answer.p50)} / ${fixed(r.bm25.answer.p99)} (${r.bm25.buildMs})` : '-',
        r.minisearch ? ratio(r.answer.p50, r.minisearch.answer.p50).toFixed(2) : '-',
        r.bm25 ? ratio(r.answer.p50, r.bm25.answer.p50).toFixed(2) : '-',
        r.minisearch && r.bm25 ? `${(r.minisearch.top1AgreementWithEngine * 100).toFixed(0)}% / ${(r.bm25.top1AgreementWithEngine * 100).toFixed(0)}%` : '-',
      ]),
    ),
  );
  lines.push('');
  lines.push('Targets (issue 6):');
  for (const t of targets) lines.push(`  ${t.met === null ? 'n/a ' : t.met ? 'MET ' : 'MISS'}  ${t.target}: ${t.measured}`);
  if (notes.length > 0) {
    lines.push('');
    for (const note of notes) lines.push(`note: ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
