// Function URL Lambda: a verdict link's page (GET, records nothing) and its button (POST, records the verdict once).

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DynamoVerdictStore } from '../adapters/dynamo-verdicts';
import { secretSigningKey } from '../adapters/signing-key';
import { systemClock } from '../adapters/system-clock';
import { confirmPage, recordedPage, refusedPage, type VerdictPage } from '../core/verdict-page';
import { verifyVerdictToken } from '../core/verdict-token';
import type { Clock, VerdictStore } from '../ports';
import { verdictConfigFromEnv } from './env';
import { lambdaEntryPoint, type Telemetry } from './runtime';

export interface VerdictDeps {
  verdicts: Pick<VerdictStore, 'recordVerdict'>;
  key: () => Promise<string>;
  clock: Clock;
  /** Entity id -> display name: a token for an entity the watchlist does not track is refused. */
  entityNames: ReadonlyMap<string, string>;
  telemetry: Pick<Telemetry, 'logger'>;
}

/** A form body (`t=<token>`) is at most this long: anything longer is not our form. */
const MAX_BODY_CHARS = 2_000;

export function createVerdictHandler(
  deps: VerdictDeps,
): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> {
  return async (event) => {
    const page = await answer(event, deps);
    return { statusCode: page.status, headers: page.headers, body: page.body };
  };
}

async function answer(event: APIGatewayProxyEventV2, deps: VerdictDeps): Promise<VerdictPage> {
  const method = event.requestContext.http.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') return refusedPage('method');
  const token = method === 'POST' ? formToken(event) : event.queryStringParameters?.t;
  if (token === undefined) return refusedPage('malformed');
  const check = verifyVerdictToken(token, await deps.key(), deps.clock.now());
  if (!check.ok) {
    deps.telemetry.logger.warn('verdict link refused', { reason: check.reason, method });
    return refusedPage(check.reason);
  }
  const { alertId, entityId } = check.claim;
  const entityName = deps.entityNames.get(entityId);
  if (entityName === undefined) return refusedPage('unknown-entity');
  // A GET (or HEAD) only shows the button: mail scanners open every link in a message, and that must not count.
  if (method !== 'POST') return confirmPage(entityName, alertId, token);
  const outcome = await deps.verdicts.recordVerdict({ entityId, alertId, recordedAt: deps.clock.now() });
  deps.telemetry.logger.info('verdict', { entityId, alertId, outcome });
  return recordedPage(entityName, outcome === 'already-recorded');
}

/** The token of the page's form (`application/x-www-form-urlencoded`), or the link's own when the body has none. */
function formToken(event: APIGatewayProxyEventV2): string | undefined {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (text.length > MAX_BODY_CHARS) return undefined;
  return new URLSearchParams(text).get('t') ?? event.queryStringParameters?.t;
}

export const handler = lambdaEntryPoint((telemetry) => {
  const config = verdictConfigFromEnv(process.env);
  return createVerdictHandler({
    verdicts: new DynamoVerdictStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.stateTableName),
    key: secretSigningKey(config.keySecretArn),
    clock: systemClock,
    entityNames: new Map(config.watchlist.entities.map((entity) => [entity.id, entity.name])),
    telemetry,
  });
});
