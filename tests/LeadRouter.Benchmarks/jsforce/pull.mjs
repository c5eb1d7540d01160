// Pulls every row of the queries in QUERIES_FILE (one SOQL per line: the sync's first-pull queries) with
// queryAll (scanAll), following nextRecordsUrl, and keeps nothing: the cost of a real Salesforce client
// reading the rows the sync stores. Prints {"rows": N, "calls": N}. scripts/bench.sh runs it under /usr/bin/time.
import { readFileSync } from 'node:fs';
import jsforce from 'jsforce';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
};

const loginUrl = env('EMULATOR_URL');
const conn = new jsforce.Connection({
  loginUrl,
  version: '62.0',
  oauth2: { loginUrl, clientId: env('SF_CLIENT_ID'), clientSecret: env('SF_CLIENT_SECRET') },
});
await conn.login(env('SF_USERNAME'), env('SF_PASSWORD'));

let rows = 0;
let calls = 0;
for (const soql of readFileSync(env('QUERIES_FILE'), 'utf8').split('\n').filter((line) => line.trim())) {
  await new Promise((resolve, reject) => {
    conn.query(soql, { scanAll: true, autoFetch: true, maxFetch: 100_000_000 })
      .on('record', () => { rows += 1; })
      .on('fetch', () => { calls += 1; })
      .on('error', reject)
      .on('end', resolve)
      .run();
  });
}
process.stdout.write(`${JSON.stringify({ rows, calls })}\n`);
