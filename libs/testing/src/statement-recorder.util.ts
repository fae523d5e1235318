import type { DataSource, QueryRunner } from 'typeorm';

export interface StatementRecorder {
  /** The statements each transaction sent, in order (TypeORM runs a transaction on one runner). */
  byTransaction: Map<QueryRunner, string[]>;
  stop(): void;
}

/** Records the statements a DataSource sends from now until `stop()`, through its logger. */
export function recordStatements(ds: DataSource): StatementRecorder {
  const logger = ds.logger;
  const byTransaction = new Map<QueryRunner, string[]>();
  const logQuery = logger.logQuery;
  logger.logQuery = function (query, parameters, runner) {
    if (runner) byTransaction.set(runner, [...(byTransaction.get(runner) ?? []), query.trim()]);
    return logQuery.call(this, query, parameters, runner);
  };
  return {
    byTransaction,
    stop: () => {
      logger.logQuery = logQuery;
    },
  };
}

const isAudit = (statement: string) => statement.startsWith('INSERT INTO audit_events');

/**
 * Transactions that append to the audit chain, each as the statements it sent from its first
 * audit insert on. Decision 0004 wants each to be audit inserts followed by COMMIT.
 */
export function auditTails(recorder: StatementRecorder): string[][] {
  return [...recorder.byTransaction.values()]
    .filter((statements) => statements.some(isAudit))
    .map((statements) => statements.slice(statements.findIndex(isAudit)));
}

/** What breaks the rule in a tail: statements other than audit inserts, or no COMMIT at its end. */
export function statementsAfterAudit(tail: string[]): string[] {
  const extra = tail.slice(0, -1).filter((s) => !isAudit(s));
  return tail.at(-1) === 'COMMIT' ? extra : [...extra, `ends with ${tail.at(-1)} instead of COMMIT`];
}
