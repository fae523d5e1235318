import type { EntityManager } from 'typeorm';
import { AuditRepository, type NewAuditEvent } from '@heliomesh/db';

/**
 * Audit events a transaction appends at its end. Appending locks the tenant's audit chain until
 * the transaction ends, so it is the last thing a transaction does (decision 0004): code that
 * writes in several steps collects its events here and appends them once every step is done, and
 * no other lock is ever taken while the chain's is held.
 */
export class PendingAudit {
  private readonly events: NewAuditEvent[] = [];
  private readonly repo = new AuditRepository();

  add(event: NewAuditEvent): void {
    this.events.push(event);
  }

  /** Takes over another list's events, e.g. those of a savepoint once it is released. */
  adopt(other: PendingAudit): void {
    this.events.push(...other.events.splice(0));
  }

  get size(): number {
    return this.events.length;
  }

  /** Appends the events in the order they were added; call it as the transaction's last step. */
  async appendAll(m: EntityManager): Promise<void> {
    for (const event of this.events.splice(0)) await this.repo.append(m, event);
  }
}
