// Serves a Lambda function-URL handler on 127.0.0.1: each HTTP request becomes the payload-2.0 event a function URL
// sends, and the handler's result becomes the HTTP response, so tests drive the handler with real requests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface FunctionUrlServer {
  url: string;
  stop(): Promise<void>;
}

/** Content types a function URL hands over as text; anything else arrives base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/;

export async function serveFunctionUrl(
  handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<FunctionUrlServer> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks);
      const isText = TEXT_TYPES.test(String(request.headers['content-type'] ?? ''));
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]),
      );
      const event: APIGatewayProxyEventV2 = {
        version: '2.0',
        routeKey: '$default',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
        requestContext: {
          accountId: 'anonymous',
          apiId: 'verdict-url',
          domainName: url.host,
          domainPrefix: 'verdict-url',
          http: {
            method: request.method ?? 'GET',
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: '127.0.0.1',
            userAgent: String(request.headers['user-agent'] ?? ''),
          },
          requestId: 'local',
          routeKey: '$default',
          stage: '$default',
          time: new Date().toUTCString(),
          timeEpoch: Date.now(),
        },
        body: raw.length === 0 ? undefined : isText ? raw.toString('utf8') : raw.toString('base64'),
        isBase64Encoded: raw.length > 0 && !isText,
      };
      try {
        const result = await handler(event);
        response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
        response.end(result.body ?? '');
      } catch (error) {
        // A function error: the function URL answers 502.
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
