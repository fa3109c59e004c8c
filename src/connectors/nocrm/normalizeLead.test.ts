import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimestamp } from '../../core/time.js';
import { normalizeLead } from './normalizeLead.js';
import { nocrmSignature, verifyNocrmSignature } from './verifySignature.js';

test('webhook shape: nested user and client', () => {
  const r = normalizeLead({
    id: 31337,
    title: 'ACME',
    amount: 12000.0,
    step_id: '1189',
    user: { id: 639, firstname: 'Stef', lastname: 'Martin', email: 'Stef@Example.com' },
    client: { id: 5521, name: 'ACME Corp' },
    closed_at: null,
  });
  assert.ok(r.ok);
  assert.equal(r.value.leadId, '31337');
  assert.deepEqual(r.value.lead, {
    title: 'ACME',
    amount: '12000',
    step_id: 1189,
    closed_at: null,
    owner_email: 'stef@example.com',
    owner_id: '639',
    owner_name: 'Stef Martin',
    folder_id: '5521',
    folder_name: 'ACME Corp',
  });
});

test('REST shape: flat user_id and client_folder_id/name', () => {
  const r = normalizeLead({ id: 1, user_id: 640, client_folder_id: 7, client_folder_name: 'F' });
  assert.ok(r.ok);
  assert.deepEqual(r.value.lead, { owner_id: '640', folder_id: '7', folder_name: 'F' });
});

test('absent stays absent, null means empty', () => {
  const r = normalizeLead({ id: 1, user: null });
  assert.ok(r.ok);
  assert.deepEqual(r.value.lead, { owner_email: null, owner_id: null });
});

test('wrong types are errors naming the field', () => {
  for (const [data, re] of [
    [{ id: 1, amount: 'abc' }, /data\.amount/],
    [{ id: 1, step_id: 1.5 }, /data\.step_id/],
    [{ id: 1, user: 5 }, /data\.user/],
    [{ id: 1, created_at: '2025-02-30T00:00:00Z' }, /data\.created_at/],
    [{ title: 'x' }, /data\.id is required/],
    ['x', /must be an object/],
  ] as const) {
    const r = normalizeLead(data);
    assert.ok(!r.ok);
    assert.match(r.error, re);
  }
});

test('timestamps with or without milliseconds, with Z or offset', () => {
  assert.equal(parseTimestamp('2025-03-04T09:12:33.000Z')?.toISOString(), '2025-03-04T09:12:33.000Z');
  assert.equal(parseTimestamp('2025-03-04T09:12:33Z')?.toISOString(), '2025-03-04T09:12:33.000Z');
  assert.equal(parseTimestamp('2025-03-04T10:12:33+01:00')?.toISOString(), '2025-03-04T09:12:33.000Z');
  assert.equal(parseTimestamp('2025-03-04 09:12:33')?.toISOString(), '2025-03-04T09:12:33.000Z');
  assert.equal(parseTimestamp('yesterday'), undefined);
});

test('signature is sha1(id + key), verified in constant time', () => {
  // sha1('1' + 'a') = sha1('1a'), computed with sha1sum
  assert.equal(nocrmSignature('1', 'a'), '9b2c3280ccea0ba408270c45185bfbcd36164237');
  const sig = nocrmSignature('4412873', 'secret');
  assert.match(sig, /^[0-9a-f]{40}$/);
  assert.ok(verifyNocrmSignature('4412873', sig, 'secret'));
  assert.ok(!verifyNocrmSignature('4412874', sig, 'secret'));
  assert.ok(!verifyNocrmSignature('4412873', sig.slice(0, 39), 'secret'));
});
