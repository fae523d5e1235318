import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { TelemetryError } from '../graphql/common.models.js';
import { DateTimeScalar, JsonScalar } from '../graphql/scalars.js';

export enum HealthStatus {
  HEALTHY = 'healthy',
  DEGRADED = 'degraded',
  FAILURE = 'failure',
  NO_DATA = 'no-data',
}
registerEnumType(HealthStatus, {
  name: 'HealthStatus',
  description: "Kiali's request health; NO_DATA when the window saw no requests (never HEALTHY).",
});

@ObjectType('LatencyQuantiles', { description: 'Milliseconds; null when the window saw no requests.' })
export class LatencyQuantilesModel {
  @Field(() => Float, { nullable: true })
  p50!: number | null;

  @Field(() => Float, { nullable: true })
  p90!: number | null;

  @Field(() => Float, { nullable: true })
  p99!: number | null;
}

@ObjectType('VersionMetrics', { description: 'Requests one version of a service received in the window.' })
export class VersionMetricsModel {
  @Field()
  version!: string;

  @Field(() => Float, { description: 'Requests per second.' })
  requestRate!: number;

  @Field(() => Float)
  requestCount!: number;

  @Field(() => Float, { description: '5xx responses.' })
  errorCount!: number;

  @Field(() => Float, { nullable: true, description: 'Percent of non-5xx responses; null without requests.' })
  successRate!: number | null;

  @Field(() => LatencyQuantilesModel)
  latencyMs!: LatencyQuantilesModel;

  @Field(() => Float, { nullable: true, description: 'Share (0-1) received over mutual TLS.' })
  mtlsShare!: number | null;

  @Field(() => JsonScalar, { description: 'Requests per Envoy response-flags value (`-` is none).' })
  responseFlags!: Record<string, number>;
}

/** Shared by every telemetry answer: a value, or why there is none. */
@ObjectType({ isAbstract: true })
export abstract class TelemetryAnswer {
  @Field(() => Int)
  windowSeconds!: number;

  @Field(() => TelemetryError, { nullable: true, description: 'Set when the collector could not be asked.' })
  error!: TelemetryError | null;
}

@ObjectType('ServiceMetrics')
export class ServiceMetricsModel extends TelemetryAnswer {
  @Field(() => [VersionMetricsModel], { description: 'One entry per version that received requests.' })
  versions!: VersionMetricsModel[];
}

@ObjectType('ToleranceViolation', { description: "One of Kiali's error tolerances a service exceeds." })
export class ToleranceViolationModel {
  @Field({ description: '5XX, 4XX, GRPC_ERROR or NO_RESPONSE.' })
  tolerance!: string;

  @Field(() => Float)
  errorPercent!: number;

  @Field(() => Float)
  degradedAt!: number;

  @Field(() => Float)
  failureAt!: number;

  @Field(() => HealthStatus)
  status!: HealthStatus;
}

@ObjectType('HealthEntry')
export class HealthEntryModel {
  @Field()
  namespace!: string;

  @Field()
  service!: string;

  @Field(() => String, { nullable: true, description: 'Absent for the whole service.' })
  version?: string | null;

  @Field(() => HealthStatus)
  status!: HealthStatus;

  @Field(() => Float)
  requestCount!: number;

  @Field(() => [ToleranceViolationModel])
  violations!: ToleranceViolationModel[];
}

@ObjectType('ServiceHealth')
export class ServiceHealthModel extends TelemetryAnswer {
  @Field(() => HealthStatus)
  status!: HealthStatus;

  @Field(() => Float)
  requestCount!: number;

  @Field(() => [ToleranceViolationModel])
  violations!: ToleranceViolationModel[];

  @Field(() => [HealthEntryModel])
  versions!: HealthEntryModel[];
}

@ObjectType('NamespaceHealth', { description: 'Request health of every service and version of a namespace.' })
export class NamespaceHealthModel extends TelemetryAnswer {
  @Field()
  namespace!: string;

  @Field(() => DateTimeScalar)
  observedAt!: string;

  @Field(() => [HealthEntryModel])
  services!: HealthEntryModel[];

  @Field(() => [HealthEntryModel])
  versions!: HealthEntryModel[];
}

@ObjectType('EdgeSource', {
  description: 'The calling workload; `unknown` from outside the mesh or the tenant.',
})
export class EdgeSourceModel {
  @Field()
  namespace!: string;

  @Field()
  workload!: string;

  @Field()
  app!: string;

  @Field()
  version!: string;
}

@ObjectType('EdgeDestination')
export class EdgeDestinationModel {
  @Field()
  namespace!: string;

  @Field()
  service!: string;

  @Field()
  version!: string;
}

@ObjectType('TrafficEdge', { description: 'A workload calling a version of a service, over the window.' })
export class TrafficEdgeModel {
  @Field(() => EdgeSourceModel)
  source!: EdgeSourceModel;

  @Field(() => EdgeDestinationModel)
  destination!: EdgeDestinationModel;

  @Field(() => Float)
  requestRate!: number;

  @Field(() => Float)
  requestCount!: number;

  @Field(() => Float)
  errorCount!: number;

  @Field(() => Float, { nullable: true })
  errorShare!: number | null;

  @Field(() => Float, { nullable: true })
  mtlsShare!: number | null;

  @Field(() => JsonScalar)
  responseFlags!: Record<string, number>;

  @Field({ description: 'source or destination: whose report the rates come from.' })
  reportedBy!: string;
}

@ObjectType('TrafficEdges')
export class TrafficEdgesModel extends TelemetryAnswer {
  @Field(() => [TrafficEdgeModel])
  edges!: TrafficEdgeModel[];
}

@ObjectType('TopologyNode')
export class TopologyNodeModel {
  @Field({ description: 'service:NS/NAME, app:NS/APP/VERSION, workload:NS/NAME, unknown:* or external.' })
  id!: string;

  @Field({ description: 'service, app, workload, unknown or external (another tenant).' })
  kind!: string;

  @Field()
  namespace!: string;

  @Field(() => String, { nullable: true })
  service?: string | null;

  @Field(() => String, { nullable: true })
  app?: string | null;

  @Field(() => String, { nullable: true })
  version?: string | null;

  @Field(() => String, { nullable: true })
  workload?: string | null;

  @Field(() => Float, { nullable: true })
  inboundRate!: number | null;

  @Field(() => HealthStatus)
  health!: HealthStatus;
}

@ObjectType('TopologyEdge')
export class TopologyEdgeModel {
  @Field()
  source!: string;

  @Field()
  target!: string;

  @Field(() => Float)
  requestRate!: number;

  @Field(() => Float)
  requestCount!: number;

  @Field(() => Float)
  errorCount!: number;

  @Field(() => Float, { nullable: true })
  errorShare!: number | null;

  @Field(() => Float, { nullable: true })
  mtlsShare!: number | null;

  @Field(() => JsonScalar)
  responseFlags!: Record<string, number>;

  @Field(() => LatencyQuantilesModel, {
    nullable: true,
    description: 'Latency quantiles of the edge, from the reporter its rates come from.',
  })
  latencyMs?: LatencyQuantilesModel | null;

  @Field(() => HealthStatus)
  health!: HealthStatus;
}

@ObjectType('Topology', { description: "Kiali's versioned-app graph of a namespace over the window." })
export class TopologyModel extends TelemetryAnswer {
  @Field()
  namespace!: string;

  @Field(() => [TopologyNodeModel])
  nodes!: TopologyNodeModel[];

  @Field(() => [TopologyEdgeModel])
  edges!: TopologyEdgeModel[];
}
