// DuckDB side of bench/parquet_bench.sh: loads the benchmark data from our file (untimed), then
// times writing it to Parquet (SNAPPY) and reading it back fully, best of 5, with the given threads.
// Usage: node tests/interop/parquet_bench.mjs DIR THREADS (lives here to find the npm module)
import { DuckDBInstance } from '@duckdb/node-api';
const [dir, threads] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${threads}`);
await con.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${dir}/ours.parquet')`);
const time = async sql => { const s = process.hrtime.bigint(); await con.run(sql); return Number(process.hrtime.bigint() - s) / 1e6; };
let w = Infinity, r = Infinity;
for (let k = 0; k < 6; k++) {
  const tw = await time(`COPY t TO '${dir}/duck.parquet' (FORMAT parquet, COMPRESSION snappy)`);
  const tr = await time(`CREATE OR REPLACE TABLE r AS SELECT * FROM read_parquet('${dir}/duck.parquet')`);
  if (k > 0) { w = Math.min(w, tw); r = Math.min(r, tr); }
}
console.log(`duckdb threads=${threads} write_ms=${w.toFixed(1)} read_ms=${r.toFixed(1)}`);
