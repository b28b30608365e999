/** What the fuzz suite saw: figures per service and every failure, grouped by class. */
import type { FuzzRequest } from './cases.ts';
import { KEPT_TEXT, type Answer } from './send.ts';

/** An error answer larger than this echoes input back (or lists every error of a huge body). */
export const ERROR_LIMIT = 16 * 1024;

export interface Figures {
  sent: number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  'non-problem errors': number;
  'oversized answers': number;
  'invalid accepted': number;
  'no answer': number;
  seconds: number;
}

export interface Failure {
  service: string;
  operationId: string;
  request: FuzzRequest;
  /** What is wrong with the answer, e.g. `500` or `400 not problem+json`. */
  problem: string;
  answer: string;
}

export class Tally {
  readonly figures = new Map<string, Figures>();
  readonly failures: Failure[] = [];

  record(service: string, operationId: string, request: FuzzRequest, answer: Answer | Error) {
    const figures = this.of(service);
    figures.sent++;
    const problems =
      answer instanceof Error ? ['no answer'] : this.count(service, figures, request, answer);
    if (answer instanceof Error) figures['no answer']++;
    for (const problem of problems)
      this.failures.push({
        service,
        operationId,
        request,
        problem,
        answer:
          answer instanceof Error
            ? answer.message
            : `${answer.status} ${answer.contentType} ${answer.text.slice(0, 300)}`,
      });
  }

  private count(service: string, figures: Figures, request: FuzzRequest, answer: Answer) {
    const klass = `${Math.floor(answer.status / 100)}xx` as '2xx' | '3xx' | '4xx' | '5xx';
    if (klass in figures) figures[klass]++;
    figures.seconds += answer.seconds;
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`${answer.status}`);
    if (request.refuse && answer.status < 300) {
      figures['invalid accepted']++;
      problems.push(`${answer.status}: accepted a request its contract does not allow`);
    }
    if (answer.status >= 400 && !isProblem(answer)) {
      figures['non-problem errors']++;
      problems.push(`${answer.status} not problem+json`);
    }
    if (request.expect && !request.expect.includes(answer.status))
      problems.push(`${answer.status}, not ${request.expect.join(' or ')}`);
    // What a browser reads must not be sniffed into HTML: every answer of web says so.
    if (service === 'web' && !answer.nosniff) problems.push(`${answer.status} without nosniff`);
    const limit = answer.status >= 400 ? ERROR_LIMIT : Infinity;
    if (answer.size > Math.min(limit, 1024 * 1024)) {
      figures['oversized answers']++;
      problems.push(`${answer.status} answer of ${answer.size} bytes`);
    }
    return problems;
  }

  private of(service: string): Figures {
    let figures = this.figures.get(service);
    if (!figures) {
      figures = {
        sent: 0,
        '2xx': 0,
        '3xx': 0,
        '4xx': 0,
        '5xx': 0,
        'non-problem errors': 0,
        'oversized answers': 0,
        'invalid accepted': 0,
        'no answer': 0,
        seconds: 0,
      };
      this.figures.set(service, figures);
    }
    return figures;
  }

  /** The figures as a table, one line per service and a total. */
  table(): string {
    const columns = Object.keys(this.of('total')) as (keyof Figures)[];
    this.figures.delete('total');
    const total = Object.fromEntries(columns.map((c) => [c, 0])) as unknown as Figures;
    const rows = [...this.figures].map(([service, figures]) => {
      for (const c of columns) total[c] += figures[c];
      return [service, ...columns.map((c) => cell(figures[c]))];
    });
    rows.push(['total', ...columns.map((c) => cell(total[c]))]);
    const header = ['service', ...columns];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    return [header, ...rows]
      .map((row) => row.map((cell, i) => (i ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))))
      .map((row) => row.join('  '))
      .join('\n');
  }
}

const cell = (figure: number) => (Number.isInteger(figure) ? String(figure) : figure.toFixed(1));

/** RFC 9457 problem details: the media type, and a JSON body whose status is the answer's. */
function isProblem(answer: Answer): boolean {
  if (!answer.contentType.startsWith('application/problem+json')) return false;
  // Too large to read whole: that is a failure of its own.
  if (answer.size > KEPT_TEXT) return true;
  try {
    return (JSON.parse(answer.text) as { status?: unknown }).status === answer.status;
  } catch {
    return false;
  }
}

/** One line per failure class (service, operation, shape, what was wrong), with a count. */
export function failureClasses(failures: Failure[]): string[] {
  const classes = new Map<string, { count: number; example: Failure }>();
  for (const failure of failures) {
    const key = `${failure.service} ${failure.operationId} [${failure.request.shape}; ${failure.request.credentials}] → ${failure.problem}`;
    const seen = classes.get(key);
    if (seen) seen.count++;
    else classes.set(key, { count: 1, example: failure });
  }
  return [...classes].map(
    ([key, { count, example }]) =>
      `${key} (${count}×)\n    ${example.request.method} ${example.request.target.slice(0, 200)}\n    ${example.answer.replace(/\s+/g, ' ').slice(0, 300)}`,
  );
}
