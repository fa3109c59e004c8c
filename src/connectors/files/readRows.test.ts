import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type FileRow, recordJson } from './fileRow.js';
import { fileFormat, readRows } from './readRows.js';

const dir = mkdtempSync(join(tmpdir(), 'leadhouse-rows-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function rows(name: string, text: string): Promise<FileRow[]> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const format = fileFormat(path);
  assert.ok(format.ok);
  const out: FileRow[] = [];
  for await (const batch of readRows(path, format.value)) out.push(...batch);
  return out;
}

const summary = (r: FileRow) => ('error' in r ? `${r.line}! ${r.error}` : `${r.line} ${recordJson(r)}`);

test('CSV rows carry the line they start on: blank lines, quoted newlines, CRLF', async () => {
  const text = 'a,b\n1,2\n\n"x\ny",3\n4,"5 ""five"""\n';
  const expected = ['2 {"a":"1","b":"2"}', '4 {"a":"x\\ny","b":"3"}', '6 {"a":"4","b":"5 \\"five\\""}'];
  assert.deepEqual((await rows('lf.csv', text)).map(summary), expected);
  const crlf = (await rows('crlf.csv', text.replaceAll('\n', '\r\n'))).map(summary);
  assert.deepEqual(crlf, [expected[0], '4 {"a":"x\\r\\ny","b":"3"}', expected[2]]);
});

test('CSV: a short or long row is an error row; trailing empty fields are tolerated', async () => {
  const r = await rows('short.csv', '\uFEFFa,b,c\n1,2,3\n1,2\n1,2,3,\n1,2,3,4\n');
  assert.deepEqual(r.map(summary), [
    '2 {"a":"1","b":"2","c":"3"}',
    '3! expected 3 fields (as in the header), found 2',
    '4 {"a":"1","b":"2","c":"3"}',
    '5! expected 3 fields (as in the header), found 4',
  ]);
  assert.equal((r[1] as { payload: string }).payload, '1,2');
});

test('CSV: the delimiter is guessed from the header; stray quotes are kept', async () => {
  const r = await rows('semi.csv', 'lead;action;amount\n1;won;1,5\n2;say "hi";3\n');
  assert.deepEqual(r.map(summary), [
    '2 {"lead":"1","action":"won","amount":"1,5"}',
    '3 {"lead":"2","action":"say \\"hi\\"","amount":"3"}',
  ]);
});

test('CSV: an unclosed quote stops the parse and every line from there is an error row', async () => {
  const r = await rows('open.csv', 'a,b\n1,2\n3,"four\n5,6\n\n7,8\n');
  assert.deepEqual(r.map(summary), [
    '2 {"a":"1","b":"2"}',
    '3! CSV syntax error: a quoted field opened on this line is never closed; this line and the rest of the file were not read',
    '4! not read: after the CSV syntax error at line 3',
    '6! not read: after the CSV syntax error at line 3',
  ]);
  assert.equal((r[1] as { payload: string }).payload, '3,"four');
});

test('JSONL: bad lines are error rows, reading goes on', async () => {
  const r = await rows('h.jsonl', '{"lead_id":1}\n\n{"lead_id":2,\n[1,2]\n{"lead_id":3}\r\n{"lead_id":4}');
  assert.deepEqual(r.map(summary), [
    '1 {"lead_id":1}',
    `3! not valid JSON: ${errorOf('{"lead_id":2,')}`,
    '4! not a JSON object',
    '5 {"lead_id":3}',
    '6 {"lead_id":4}',
  ]);
});

test('format from the extension or asked for', () => {
  assert.deepEqual(fileFormat('x.NDJSON'), { ok: true, value: 'jsonl' });
  assert.deepEqual(fileFormat('x.txt', 'csv'), { ok: true, value: 'csv' });
  assert.ok(!fileFormat('x.txt').ok);
  assert.ok(!fileFormat('x.csv', 'xlsx').ok);
});

function errorOf(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
