import { Args, Context, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { AuditQueryService } from '@heliomesh/core';
import { HeliomeshError } from '@heliomesh/util';
import type { Connection } from '../graphql/connection.types.js';
import { DEFAULT_FIRST, toConnection, useCasePage } from '../graphql/connection.util.js';
import { inArgument } from '../graphql/graphql-errors.util.js';
import { withoutNulls } from '../graphql/input.util.js';
import type { RequestScope } from '../graphql/request-scope.js';
import { AuditFeed } from './audit-feed.service.js';
import { AuditChainModel, AuditEventConnection, AuditEventModel, AuditFilter } from './audit.models.js';

@Resolver(() => AuditEventModel)
export class AuditResolver {
  constructor(
    private readonly audit: AuditQueryService,
    private readonly feed: AuditFeed,
  ) {}

  @Query(() => AuditEventConnection, { description: "The tenant's audit events, newest first." })
  async auditEvents(
    @Context('heliomesh') scope: RequestScope,
    @Args('filter', { type: () => AuditFilter, nullable: true }) filter: AuditFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: DEFAULT_FIRST }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<Connection<AuditEventModel>> {
    const ctx = await scope.context();
    const page = await inArgument('filter', () =>
      this.audit.list(ctx, { ...withoutNulls({ ...filter }), ...useCasePage({ first, after }) }),
    );
    // The use case's keyset: the sequence number, descending.
    return toConnection(page, (e) => ({ key: String(e.seq), id: e.id }));
  }

  @Query(() => AuditChainModel, {
    description: "Recomputes the tenant's hash chain and reports the first row that does not verify.",
  })
  async auditChain(@Context('heliomesh') scope: RequestScope): Promise<AuditChainModel> {
    return this.audit.verify(await scope.context());
  }

  @Subscription(() => AuditEventModel, {
    name: 'auditEvents',
    resolve: (event: AuditEventModel) => event,
    description:
      "The tenant's audit events as they are written, oldest first. With afterSeq, the stored events after it come first (resume after a disconnect).",
  })
  async auditEventsStream(
    @Context('heliomesh') scope: RequestScope,
    @Args('afterSeq', { type: () => Int, nullable: true }) afterSeq: number | null,
  ): Promise<AsyncIterableIterator<AuditEventModel>> {
    if (afterSeq !== null && afterSeq < 0)
      throw new HeliomeshError({
        code: 'INPUT_INVALID',
        status: 400,
        message: 'afterSeq is a sequence number: 0 or more.',
        path: ['afterSeq'],
      });
    return this.feed.subscribe(await scope.context(), afterSeq ?? undefined);
  }
}
