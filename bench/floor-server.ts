// The floor: the same answers as the API, each from one hand-written SQL statement whose JSON PostgreSQL
// builds, behind a bare HTTP server. Nothing GraphQL-shaped can be faster; the API is measured against it.
import http from 'node:http';
import { Pool } from 'pg';
import { floorStatements, type OperationParameters } from './operations';

const PING = Buffer.from('{"data":{"__typename":"Query"}}');

function main(): void {
  const [databaseUrl, parametersJson, vary] = process.argv.slice(2);
  const parameters = JSON.parse(parametersJson) as OperationParameters;
  const statements = floorStatements(parameters, vary === 'vary');
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const server = http.createServer((req, res) => {
    if (req.url === '/ping') {
      // The floor's fixed cost: the same HTTP handling and a constant answer, no SQL.
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': PING.length }).end(PING));
      return;
    }
    const statement = statements.get(req.url ?? '');
    if (!statement) {
      res.writeHead(404).end();
      return;
    }
    // Drain the request body (autocannon sends the GraphQL body to both servers alike).
    req.resume();
    req.on('end', () => {
      pool
        .query<{ data: string }>(statement)
        .then((result) => {
          const body = `{"data":${result.rows[0].data}}`;
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        })
        .catch((error: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
        });
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
}

main();
