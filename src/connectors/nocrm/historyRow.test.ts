import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseColumnMap, resolveColumns } from '../files/columnMap.js';
import { readStatedTime } from '../files/statedTime.js';
import { HISTORY_FIELD_NAMES, HISTORY_FIELDS, historyRow, historyType } from './historyRow.js';

const HEADER = ['Lead ID', 'Action Type', 'From Step', 'To Step', 'Status', 'Amount', 'User', 'Date'];
const at = { file: 'history.csv', line: 7 };
/** historyRow over a record given as an object (its keys are the header). */
const mapped = (record: Record<string, unknown>, where = at) =>
  historyRow(Object.values(record), resolveColumns(Object.keys(record), HISTORY_FIELDS, {}), where);
const rec = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  'Lead ID': '31337',
  'Action Type': 'step_changed',
  'From Step': 'Incoming',
  'To Step': 'Proposal sent',
  Status: 'todo',
  Amount: '12500.50',
  User: 'Stef@Example.com',
  Date: '2025-03-31 23:30',
  ...over,
});

test('header aliases are matched loosely', () => {
  assert.deepEqual(resolveColumns(HEADER, HISTORY_FIELDS, {}), {
    lead_id: 0,
    action: 1,
    from_step: 2,
    to_step: 3,
    status: 4,
    amount: 5,
    user: 6,
    timestamp: 7,
  });
  const other = resolveColumns(['id_lead', 'TYPE', 'created_at', 'user_email', 'step'], HISTORY_FIELDS, {});
  assert.deepEqual(other, { lead_id: 0, action: 1, to_step: 4, user: 3, timestamp: 2 });
});

test('--map overrides the aliases and names unknown fields', () => {
  const map = parseColumnMap('lead_id=Ref, timestamp = Fecha y hora', HISTORY_FIELD_NAMES);
  assert.ok(map.ok);
  assert.deepEqual(map.value, { lead_id: 'Ref', timestamp: 'Fecha y hora' });
  const cols = resolveColumns(['Ref', 'lead_id', 'action', 'fecha_y_hora'], HISTORY_FIELDS, map.value);
  assert.equal(cols.lead_id, 0);
  assert.equal(cols.timestamp, 3, 'a --map name is matched loosely too');
  const bad = parseColumnMap('lead=Ref', HISTORY_FIELD_NAMES);
  assert.ok(!bad.ok);
  assert.match(bad.error, /unknown field "lead"/);
  assert.ok(!parseColumnMap('lead_id=', HISTORY_FIELD_NAMES).ok);
});

test('a step change becomes a lead.step_changed event stating only what the row fills', () => {
  const r = mapped(rec());
  assert.ok(r.ok);
  assert.equal(r.value.leadId, '31337');
  assert.equal(r.value.type, 'lead.step_changed');
  assert.deepEqual(r.value.time, { text: '2025-03-31T23:30:00.000', zoned: false });
  assert.deepEqual(r.value.data, {
    step: 'Proposal sent',
    status: 'todo',
    amount: '12500.50',
    actor_email: 'stef@example.com',
  });
  assert.deepEqual(r.value.meta, {
    provider: 'nocrm',
    file: 'history.csv',
    line: 7,
    action: 'step_changed',
    from_step: 'Incoming',
  });
  assert.match(r.value.externalId, /^import:[0-9a-f]{40}$/);
  const comment = mapped(
    rec({ 'Action Type': 'comment', 'From Step': '', 'To Step': '', Status: '', Amount: '' }),
  );
  assert.ok(comment.ok);
  assert.deepEqual(comment.value.data, { actor_email: 'stef@example.com' });
});

test('the external id depends on the row, not on where it sits in the file', () => {
  const a = mapped(rec());
  const b = mapped(rec({ Date: '2025-03-31T23:30:00' }), { file: 'other.csv', line: 99 });
  const c = mapped(rec({ Amount: '12500.51' }));
  assert.ok(a.ok && b.ok && c.ok);
  assert.equal(a.value.externalId, b.value.externalId, 'same action, same time written another way');
  assert.notEqual(a.value.externalId, c.value.externalId);
});

test('actions map to unified types', () => {
  const cases: Array<[string, string]> = [
    ['lead_created', 'lead.created'],
    ['Lead creation', 'lead.created'],
    ['step_changed', 'lead.step_changed'],
    ['status_changed', 'lead.status_changed'],
    ['won', 'lead.status_changed'],
    ['Lost', 'lead.status_changed'],
    ['cancelled', 'lead.status_changed'],
    ['assigned', 'lead.assigned'],
    ['unassigned', 'lead.unassigned'],
    ['comment_added', 'lead.commented'],
    ['deleted', 'lead.deleted'],
    ['amount_set', 'lead.updated'],
  ];
  for (const [action, type] of cases) assert.equal(historyType(action), type, action);
});

test('assignment names the owner; a status action without a status column states it', () => {
  const assigned = mapped(rec({ 'Action Type': 'assigned', User: 'Ana@Office.example' }));
  assert.ok(assigned.ok);
  assert.equal(assigned.value.data.owner_email, 'ana@office.example');
  const won = mapped(rec({ 'Action Type': 'won', Status: '' }));
  assert.ok(won.ok);
  assert.equal(won.value.data.status, 'won');
  const unassigned = mapped(rec({ 'Action Type': 'unassigned' }));
  assert.ok(unassigned.ok);
  assert.equal(unassigned.value.data.owner_email, null);
  const byName = mapped(rec({ User: 'Stef Martin' }));
  assert.ok(byName.ok);
  assert.equal(byName.value.data.actor_email, undefined);
  assert.equal(byName.value.meta['user'], 'Stef Martin');
});

test('bad rows are refused with a reason naming the field', () => {
  const reason = (over: Record<string, unknown>) => {
    const r = mapped(rec(over));
    assert.ok(!r.ok, JSON.stringify(over));
    return r.error;
  };
  assert.equal(reason({ 'Lead ID': '' }), 'lead_id is missing');
  assert.match(reason({ 'Lead ID': '12 34' }), /^lead_id "12 34" is not an id/);
  assert.equal(reason({ 'Action Type': ' ' }), 'action is missing');
  assert.equal(reason({ Date: '' }), 'timestamp is missing');
  assert.match(reason({ Date: '31/03/2025 10:00' }), /^timestamp "31\/03\/2025 10:00" is not a date-time/);
  assert.match(reason({ Date: '2025-02-30 10:00' }), /^timestamp/);
  assert.match(reason({ Amount: '1,500' }), /^amount "1,500" is not a number/);
  assert.match(reason({ Amount: 'n/a' }), /^amount/);
  assert.match(reason({ User: { email: 'x@y' } }), /^user must be a single value/);
});

test('JSON values: numbers are read as text, null states nothing', () => {
  const r = mapped({
    lead_id: 42,
    action: 'step_changed',
    amount: 1500.5,
    to_step: null,
    timestamp: '2025-04-01T10:00:00Z',
  });
  assert.ok(r.ok);
  assert.equal(r.value.leadId, '42');
  assert.deepEqual(r.value.data, { amount: '1500.5' });
  assert.deepEqual(r.value.time, { text: '2025-04-01T10:00:00.000Z', zoned: true });
});

test('timestamps: zoned ones become UTC instants, zone-less ones stay wall-clock time', () => {
  const cases: Array<[string, string | undefined, boolean?]> = [
    ['2025-03-31T23:30:00.000Z', '2025-03-31T23:30:00.000Z', true],
    ['2025-03-31T23:30:00+02:00', '2025-03-31T21:30:00.000Z', true],
    ['2025-03-31 23:30:00 +0200', '2025-03-31T21:30:00.000Z', true],
    ['2025-03-31 23:30:00 UTC', '2025-03-31T23:30:00.000Z', true],
    ['2025-03-31T23:30:00-06', '2025-04-01T05:30:00.000Z', true],
    ['2025-03-31 23:30', '2025-03-31T23:30:00.000', false],
    ['2025-03-31T23:30:15.123456', '2025-03-31T23:30:15.123', false],
    ['2025-03-31', '2025-03-31T00:00:00.000', false],
    ['2025-03-31 23:30:00', '2025-03-31T23:30:00.000', false],
    ['2024-02-29T10:00:00', '2024-02-29T10:00:00.000', false],
    ['2025-02-29 10:00:00', undefined],
    ['2025-13-01 10:00:00', undefined],
    ['2025-04-31 10:00:00', undefined],
    ['2025-03-31 23:60:00', undefined],
    ['2025-03-3a 23:30:00', undefined],
    ['2025-02-29 10:00', undefined],
    ['2025-03-31 24:00', undefined],
    ['31/03/2025', undefined],
    ['0000-01-01 00:00', undefined],
    ['yesterday', undefined],
  ];
  for (const [input, text, zoned] of cases) {
    const t = readStatedTime(input);
    if (text === undefined) assert.equal(t, undefined, input);
    else assert.deepEqual(t, { text, zoned }, input);
  }
});
