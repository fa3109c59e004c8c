// Deterministic, plausible account data: a real-estate sales funnel ("Ventas") in Spain.
import type {
  FakeClient,
  FakeData,
  FakeLead,
  FakePipeline,
  FakeStep,
  FakeUser,
  LeadStatus,
} from './types.js';

export const SEED_START = new Date('2025-03-01T08:00:00.000Z');
const SUBDOMAIN = 'https://inmo-sol.nocrm.io';
const MIN = 60_000;

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const iso = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString();

const STEP_NAMES = ['Referido', 'Contactado', 'Visita', 'Propuesta', 'Negociación', 'Reserva', 'Firmado'];
const PROBABILITY = [10, 20, 35, 50, 65, 85, 100];
const PEOPLE: Array<[string, string, string, number, string]> = [
  ['Laura', 'Gómez', 'Directora comercial', 12, 'Madrid Centro'],
  ['Javier', 'Martín', 'Agente inmobiliario', 12, 'Madrid Centro'],
  ['Lucía', 'Fernández', 'Agente inmobiliaria', 14, 'Costa'],
  ['Andrés', 'Ruiz', 'Agente inmobiliario', 14, 'Costa'],
];
const CLIENTS = [
  'Inversiones Levante SL',
  'Patrimonios Castellana SA',
  'Familia Ortega Blanco',
  'Residencial Las Dunas',
  'Gestora Albaicín SL',
  'Promociones Ría de Vigo',
];
const PROPERTIES = ['Piso 3 hab.', 'Ático', 'Chalet adosado', 'Estudio', 'Local comercial', 'Dúplex'];
const AREAS = ['Chamberí', 'Salamanca', 'Malasaña', 'Marbella', 'Alicante centro', 'Sanxenxo', 'Retiro'];
const BUYERS = [
  'Carmen Díaz',
  'Pablo Serrano',
  'Marta Vidal',
  'Sergio Navarro',
  'Elena Castro',
  'Raúl Molina',
];
const SOURCES = ['idealista', 'fotocasa', 'web', 'referido', 'escaparate'];

export function seedData(n: number, opts: { start?: Date; seed?: number } = {}): FakeData {
  const rand = rng(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const start = (opts.start ?? SEED_START).getTime();
  const setup = iso(start - 90 * 24 * 60 * MIN);

  const pipeline: FakePipeline = {
    id: 11,
    name: 'Ventas',
    is_default: true,
    created_at: setup,
    updated_at: setup,
  };
  const steps: FakeStep[] = STEP_NAMES.map((name, i) => ({
    id: 1101 + i,
    name,
    position: i + 1,
    pipeline_id: pipeline.id,
    pipeline: { id: pipeline.id, name: pipeline.name },
    created_at: setup,
    updated_at: setup,
  }));
  const users: FakeUser[] = PEOPLE.map(([firstname, lastname, job_title], i) => ({
    id: 639 + i,
    firstname,
    lastname,
    email: `${ascii(firstname)}.${ascii(lastname)}@inmo-sol.test`,
    phone: `+34 91 555 01 ${String(10 + i)}`,
    mobile_phone: `+34 600 000 ${String(100 + i)}`,
    job_title,
    is_admin: i === 0,
    has_activated: true,
    is_disabled: false,
    locale: 'es',
    time_zone: 'Europe/Madrid',
    permalink: `${SUBDOMAIN}/users/${639 + i}`,
    avatar_url: null,
    created_at: setup,
    updated_at: setup,
  }));
  const clients: FakeClient[] = CLIENTS.map((name, i) => ({
    id: 5521 + i,
    name,
    description: '',
    is_active: i !== CLIENTS.length - 1,
    user_id: users[i % users.length]?.id ?? null,
    created_at: setup,
    updated_at: setup,
  }));

  const leads = new Map<number, FakeLead>();
  let created = start;
  for (let i = 0; i < n; i++) {
    // Creation gaps of 30–180 min and an update lag under 25 min keep updated_at strictly increasing.
    created += (30 + Math.floor(rand() * 150)) * MIN + Math.floor(rand() * 60) * 1000;
    const updated = created + Math.floor(rand() * 25 * 60) * 1000;
    const r = rand();
    const status: LeadStatus =
      r < 0.45 ? 'todo' : r < 0.6 ? 'standby' : r < 0.8 ? 'won' : r < 0.95 ? 'lost' : 'cancelled';
    const unassigned = status === 'todo' && rand() < 0.1;
    const stepIndex = unassigned ? 0 : status === 'won' ? 6 : Math.floor(rand() * 6);
    const step = steps[stepIndex] as FakeStep;
    const userIndex = Math.floor(rand() * PEOPLE.length);
    const person = PEOPLE[userIndex] as (typeof PEOPLE)[number];
    const client = rand() < 0.4 ? pick(clients) : undefined;
    const buyer = pick(BUYERS);
    const email = `${ascii(buyer.replace(' ', '.'))}.${i + 1}@correo.test`;
    const id = 31001 + i;
    leads.set(id, {
      id,
      title: `${pick(PROPERTIES)} ${pick(AREAS)} – ${buyer}`,
      pipeline: pipeline.name,
      step: step.name,
      step_id: step.id,
      status,
      amount: rand() < 0.1 ? 0 : 2500 + Math.round(rand() * 450) * 50,
      currency: 'EUR',
      probability: status === 'won' ? 100 : (PROBABILITY[stepIndex] ?? 10),
      starred: rand() < 0.15,
      next_action_at: status === 'standby' ? iso(updated + (1 + Math.floor(rand() * 14)) * 1440 * MIN) : null,
      created_at: iso(created),
      updated_at: iso(updated),
      closed_at: status === 'won' || status === 'lost' || status === 'cancelled' ? iso(updated) : null,
      description: `Nombre: ${buyer}\nEmail: ${email}`,
      html_description: `<p>Nombre: ${buyer}<br>Email: ${email}</p>`,
      tags: [pick(SOURCES)],
      user_id: unassigned ? null : (users[userIndex]?.id ?? null),
      client_folder_id: client?.id ?? null,
      client_folder_name: client?.name ?? null,
      team_id: unassigned ? null : person[3],
      team_name: unassigned ? null : person[4],
    });
  }
  return { leads, users, steps, pipelines: [pipeline], clients };
}
