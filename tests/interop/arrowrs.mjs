// Reads Parquet files with arrow-rs (the Rust parquet crate, via parquet-wasm) and prints one JSON
// line per file: {"file", "rows", "types": [...], "values": [[...]] } (values as text, nulls null) or {"file", "error"}.
// Usage: node arrowrs.mjs FILE...
import { readFileSync } from 'node:fs';
import * as pw from 'parquet-wasm';
import { tableFromIPC } from 'apache-arrow';
for (const f of process.argv.slice(2)) {
  try {
    const t = tableFromIPC(pw.readParquet(new Uint8Array(readFileSync(f))).intoIPCStream());
    const types = t.schema.fields.map(x => String(x.type));
    const values = t.schema.fields.map((x, c) => {
      const col = t.getChildAt(c);
      const out = [];
      for (let i = 0; i < t.numRows; i++) {
        const v = col.get(i);
        out.push(v === null || v === undefined ? null : typeof v === 'bigint' ? v.toString() : (v instanceof Date ? v.toISOString() : String(v)));
      }
      return out;
    });
    console.log(JSON.stringify({ file: f, rows: t.numRows, types, values }));
  } catch (e) {
    console.log(JSON.stringify({ file: f, error: String(e) }));
  }
}
