// What every handler builds the same way: the state store, Powertools telemetry, and one build per container.

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../adapters/dynamo-state-store';
import type { StateStore } from '../ports';
import { METRICS_NAMESPACE, type MetricName, SERVICE_NAME } from './metrics';

/** The part of Powertools Metrics the handlers use, so tests can pass a recorder. */
export interface MetricsRecorder {
  addMetric(name: MetricName, unit: Parameters<Metrics['addMetric']>[1], value: number): unknown;
  publishStoredMetrics(): void;
}

/** The part of Powertools Logger the handlers use (structured: a message and its fields). */
export interface HandlerLogger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

export interface Telemetry {
  logger: HandlerLogger;
  metrics: MetricsRecorder;
}

export function powertoolsTelemetry(): Telemetry {
  return {
    logger: new Logger({ serviceName: SERVICE_NAME }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  };
}

export function dynamoStateStore(tableName: string): StateStore {
  return new DynamoStateStore({ client: new DynamoDBClient({}), tableName });
}

/**
 * A Lambda entry point that builds its handler (config, clients) on the first invocation and reuses it for the life
 * of the container: nothing is built at import, so tests import the factories without AWS clients or env.
 */
export function builtOnFirstCall<Event, Result>(
  build: () => (event: Event) => Promise<Result>,
): (event: Event) => Promise<Result> {
  let handler: ((event: Event) => Promise<Result>) | undefined;
  // Async, so a configuration error rejects the invocation like any other failure.
  return async (event) => {
    handler ??= build();
    return handler(event);
  };
}
