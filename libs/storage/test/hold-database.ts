/** A second process for pglite.test.ts: opens the database, writes a row, says so, and waits. */
import { openDatabase } from '../src/index.ts';

const [dataDir, migrations] = process.argv.slice(2);
const db = await openDatabase({ dataDir: dataDir!, migrations: migrations! });
await db.query('INSERT INTO items VALUES (7)');
process.stdout.write('open\n');
setInterval(() => {}, 60_000);
