// Apollo Server alone: the floor's bare HTTP front handing each request to Apollo Server with a one-field
// schema and nothing of the API's (no context, limits, pipeline or metrics). Its `{ __typename }` beside the
// API's and the floor's constant answer splits a request's fixed cost into the HTTP front, Apollo's own
// handling, and the API's code (docs/performance.md, "Against the targets").
import http from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSchema } from 'graphql';

async function main(): Promise<void> {
  // The two plugins the API turns off as well (src/server.ts); everything else as Apollo ships it.
  const apollo = new ApolloServer({
    schema: buildSchema('type Query { ok: Boolean }'),
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      const text = Buffer.concat(chunks).toString('utf8');
      apollo
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: '', body: text ? (JSON.parse(text) as unknown) : undefined },
          context: async () => ({}),
        })
        .then((result) => {
          if (result.body.kind !== 'complete') throw new Error('a streamed answer to { __typename }');
          const out: Record<string, string> = { 'content-length': String(Buffer.byteLength(result.body.string)) };
          for (const [key, value] of result.headers) out[key] = value;
          res.writeHead(result.status ?? 200, out).end(result.body.string);
        })
        .catch((error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => void apollo.stop().then(() => process.exit(0))));
}

void main();
