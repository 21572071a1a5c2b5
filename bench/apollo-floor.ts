// Apollo Server with the floor's SQL: the least any server built on Apollo Server can do for an operation
// whose concurrent requests are different questions (it joins no statements, as the floor joins none).
// The floor's bare HTTP front hands each request to Apollo Server 5 with the API's schema (its committed
// SDL, no resolvers) and nothing else of the API's: no context, limits, pricing, metrics or logs. A plugin
// answers every query with the floor's own statement for the URL (/<operation>[/<n>], as the floor routes),
// through `responseForOperation` and written from PostgreSQL's text as the API writes it
// (src/graphql/sql/answer-text.ts). With no statement (/ping), Apollo executes the query itself: `{ __typename }`
// there is Apollo's fixed cost. Beside the API and the floor it splits a request's time into the floor's,
// Apollo's own and the API's own (docs/performance.md, "Against the targets").
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSchema, Kind } from 'graphql';
import { Pool } from 'pg';
import { stringifyResult, textAnswer } from '../src/graphql/sql/answer-text';
import { floorStatements, type OperationParameters } from './operations';

interface Asked {
  statement?: { name: string; text: string };
}

const ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const [databaseUrl, parametersJson, vary] = process.argv.slice(2);
  const parameters = JSON.parse(parametersJson) as OperationParameters;
  const statements = floorStatements(parameters, vary === 'vary');
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const floorAnswers: ApolloServerPlugin<Asked> = {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue, operation }) {
          if (!contextValue.statement) return null;
          const result = await pool.query<{ data: string }>(contextValue.statement);
          // The operations select plain root fields: their response names are the answer's keys.
          const keys = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.alias?.value ?? s.name.value] : []));
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: textAnswer(result.rows[0].data, keys) } } };
        },
      };
    },
  };
  // The two plugins the API turns off as well (src/server.ts); everything else as Apollo ships it.
  const apollo = new ApolloServer<Asked>({
    schema: buildSchema(fs.readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8')),
    stringifyResult,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), floorAnswers],
  });
  await apollo.start();
  const server = http.createServer((req, res) => {
    const statement = statements.get(req.url ?? '');
    if (!statement && req.url !== '/ping') {
      req.resume();
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      const text = Buffer.concat(chunks).toString('utf8');
      apollo
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: '', body: text ? (JSON.parse(text) as unknown) : undefined },
          context: async () => ({ statement }),
        })
        .then((result) => {
          if (result.body.kind !== 'complete') throw new Error('a streamed answer');
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
  process.on('SIGTERM', () => server.close(() => void apollo.stop().then(() => pool.end()).then(() => process.exit(0))));
}

void main();
