// Drives the real jsforce client against a running Salesforce emulator and prints one JSON
// object with what it saw. JsforceClientTests starts the emulator, runs this script and asserts
// on the output. Inputs come from the environment (set by the test):
//   EMULATOR_URL, SF_USERNAME, SF_PASSWORD, SF_CLIENT_ID, SF_CLIENT_SECRET,
//   UPDATE_ID (a live lead), DELETED_ID (a deleted lead), COLLECTION_IDS (comma-separated live leads)
// With READ_BACK set instead (JSON: {"Lead": {"id": "00Q...", "fields": ["Title", "Address"]}, ...}), it
// only reads those records back: each object's describe types for the fields, the record by id, and the
// same fields through SOQL. With BULK_SOQL set instead, it runs that query as a Bulk API 2.0 query job
// (conn.bulk2.query with its default polling; BULK_SCAN_ALL=1 for queryAll) and reports the rows, and the
// one whose Id is BULK_SAMPLE_ID.
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
const noAutoAssign = { headers: { 'Sforce-Auto-Assign': 'FALSE' } };

const userInfo = await conn.login(env('SF_USERNAME'), env('SF_PASSWORD'));

if (process.env.READ_BACK) {
  const readBack = {};
  for (const [type, { id, fields }] of Object.entries(JSON.parse(process.env.READ_BACK))) {
    const described = await conn.sobject(type).describe();
    const types = Object.fromEntries(described.fields.filter((f) => fields.includes(f.name)).map((f) => [f.name, f.type]));
    const record = await conn.sobject(type).retrieve(id);
    const queried = await conn.query(`SELECT ${fields.join(', ')} FROM ${type} WHERE Id = '${id}'`);
    const pick = (r) => Object.fromEntries(fields.map((f) => [f, r[f] === undefined ? '(missing)' : r[f]]));
    readBack[type] = { types, retrieved: pick(record), queried: pick(queried.records[0]) };
  }
  process.stdout.write(JSON.stringify({ userId: userInfo.id, readBack }));
  process.exit(0);
}

if (process.env.BULK_SOQL) {
  const stream = await conn.bulk2.query(process.env.BULK_SOQL, { scanAll: process.env.BULK_SCAN_ALL === '1' });
  const records = [];
  await new Promise((resolve, reject) => {
    stream.on('record', (record) => records.push(record));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const sample = records.find((r) => r.Id === process.env.BULK_SAMPLE_ID) ?? null;
  process.stdout.write(JSON.stringify({ bulk: { fetched: records.length, distinct: new Set(records.map((r) => r.Id)).size, sample } }));
  process.exit(0);
}

// autoFetch follows nextRecordsUrl across pages (2,000 rows each by default).
const pages = [];
const live = await conn.query('SELECT Id, Company FROM Lead', { autoFetch: true, maxFetch: 100000 })
  .on('fetch', () => pages.push(1));

const deleted = await conn.query('SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true', { scanAll: true });

const single = await conn.sobject('Lead').update({ Id: env('UPDATE_ID'), Status: 'Working - Contacted' }, noAutoAssign);
const reread = await conn.sobject('Lead').retrieve(env('UPDATE_ID'));

const [first, second] = env('COLLECTION_IDS').split(',');
const collection = await conn.sobject('Lead').update(
  [
    { Id: first, Status: 'Working - Contacted' },
    { Id: env('DELETED_ID'), Status: 'Working - Contacted' },
    { Id: second, Status: 'Working - Contacted' },
  ],
  { allOrNone: false, ...noAutoAssign },
);

process.stdout.write(JSON.stringify({
  userId: userInfo.id,
  organizationId: userInfo.organizationId,
  instanceUrl: conn.instanceUrl,
  live: { totalSize: live.totalSize, done: live.done, fetched: live.records.length, distinct: new Set(live.records.map((r) => r.Id)).size, pages: pages.length },
  deleted: { totalSize: deleted.totalSize, allDeleted: deleted.records.every((r) => r.IsDeleted === true) },
  single: { success: single.success, id: single.id, status: reread.Status },
  collection: collection.map((r) => ({ id: r.id ?? null, success: r.success, errors: (r.errors ?? []).map((e) => e.statusCode ?? e.errorCode) })),
}));
