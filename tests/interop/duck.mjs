// Runs SQL statements in DuckDB (in memory) and prints one JSON line per statement:
// {"columns":[...], "types":[...], "rows":[[...], ...]} with every value as text (null stays null),
// doubles in DuckDB's shortest round-trip form. Usage: node duck.mjs < statements (one per line).
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const statements = readFileSync(0, 'utf8').split('\n').filter(s => s.trim().length > 0);
for (const sql of statements) {
  try {
    const r = await con.runAndReadAll(sql);
    const columns = r.columnNames();
    const types = r.columnTypes().map(t => t.toString());
    const rows = r.getRowsJson().map(row => row.map(v => v === null ? null : (typeof v === 'string' ? v : JSON.stringify(v))));
    console.log(JSON.stringify({ columns, types, rows }));
  } catch (e) {
    console.log(JSON.stringify({ error: String(e.message ?? e) }));
  }
}
