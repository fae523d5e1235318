import { Field, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { HealthService } from '@heliomesh/observability';

export enum DependencyStatus {
  UP = 'up',
  DOWN = 'down',
}
registerEnumType(DependencyStatus, { name: 'DependencyStatus' });

@ObjectType({ description: 'One dependency the gateway needs.' })
export class DependencyHealth {
  @Field()
  name!: string;

  @Field(() => DependencyStatus)
  status!: DependencyStatus;

  @Field(() => String, { nullable: true })
  error?: string | null;
}

@ObjectType({ description: 'Whether the gateway can serve requests, and why not.' })
export class Health {
  @Field()
  ready!: boolean;

  @Field(() => [DependencyHealth])
  dependencies!: DependencyHealth[];
}

@Resolver(() => Health)
export class HealthResolver {
  constructor(private readonly healthService: HealthService) {}

  @Query(() => Health, { description: 'Readiness of the gateway and its dependencies.' })
  async health(): Promise<Health> {
    const report = await this.healthService.readiness();
    return {
      ready: report.status === 'ready',
      dependencies: Object.entries(report.checks)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, c]) => ({
          name,
          status: c.status === 'up' ? DependencyStatus.UP : DependencyStatus.DOWN,
          error: c.error ?? null,
        })),
    };
  }
}
