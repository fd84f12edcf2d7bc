// What every handler builds the same way: Powertools telemetry and one build per container (no AWS client here).

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRICS_NAMESPACE, type MetricName, SERVICE_NAME } from '../contract/metrics';

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

/**
 * A Lambda entry point that builds its handler (config, clients) on the first invocation and reuses it for the life
 * of the container: nothing is built at import, so tests import the factories without AWS clients or env. Every log
 * line of an invocation carries its Lambda context (request id, function name and version, cold start), as
 * Powertools' injectLambdaContext would, without middy or a decorator.
 */
export function lambdaEntryPoint<Event, Result>(
  build: (telemetry: Telemetry) => (event: Event) => Promise<Result>,
): (event: Event, context?: Context) => Promise<Result> {
  let telemetry: { logger: Logger; metrics: Metrics } | undefined;
  let handler: ((event: Event) => Promise<Result>) | undefined;
  // Async, so a configuration error rejects the invocation like any other failure.
  return async (event, context) => {
    telemetry ??= {
      logger: new Logger({ serviceName: SERVICE_NAME }),
      metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
    };
    // Lambda always passes a context; a bundle required and called by hand (the benchmarks) may not.
    if (context !== undefined) telemetry.logger.addContext(context);
    handler ??= build(telemetry);
    return handler(event);
  };
}
