import { createRng, type Rng } from './random.js';

/** Content of a simulated real-estate office: agents, the sales pipeline, clients and properties. */

export interface Agent {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
}

export interface PipelineStep {
  id: number;
  name: string;
  position: number;
  /** Default win probability (percent) of a lead sitting in this step. */
  probability: number;
}

export interface ClientFolder {
  id: number;
  name: string;
}

export interface Office {
  subdomain: string;
  pipeline: string;
  steps: PipelineStep[];
  agents: Agent[];
  currency: 'EUR';
}

export const PIPELINE = 'Ventas';

const STEPS: ReadonlyArray<readonly [name: string, probability: number]> = [
  ['Referido', 10],
  ['Contactado', 20],
  ['Visita agendada', 30],
  ['Visita realizada', 45],
  ['Propuesta', 60],
  ['Reserva', 80],
  ['Firmado', 95],
];

/** Position of the first step from which a lead can be won ("Propuesta"). */
export const FIRST_WINNABLE_STEP = 4;

/** Splits a word list written as a block of text (separator: whitespace, or a comma). */
const list = (text: string, sep: RegExp = /\s+/): string[] =>
  text
    .trim()
    .split(sep)
    .map((w) => w.trim());

const FIRST_NAMES = list(`
  María Lucía Carmen Elena Paula Sofía Laura Marta Ana Irene Nuria Rocío
  Juan Javier Carlos Miguel Pablo Sergio Andrés Diego Jorge Raúl Álvaro Iñaki`);
const LAST_NAMES = list(`
  García López Martínez Sánchez Pérez Gómez Fernández Ruiz Díaz Moreno Muñoz
  Álvarez Romero Navarro Torres Domínguez Gil Vázquez Serrano Ramos Blanco Castro`);
const COMPANY_PREFIXES = ['Inversiones', 'Patrimonial', 'Grupo', 'Gestiones'];
const AREAS = list(
  `Chamberí, Salamanca, Retiro, Malasaña, Lavapiés, Arganzuela, Chamartín, Tetuán, Moncloa,
  Carabanchel, Pozuelo, Las Rozas, Alcobendas, Getafe`,
  /,/,
);
const PROPERTIES: ReadonlyArray<{
  kind: string;
  rooms: readonly [number, number];
  price: readonly [number, number];
}> = [
  { kind: 'Piso', rooms: [1, 4], price: [140_000, 520_000] },
  { kind: 'Piso', rooms: [2, 3], price: [180_000, 390_000] },
  { kind: 'Ático', rooms: [2, 4], price: [320_000, 950_000] },
  { kind: 'Dúplex', rooms: [2, 4], price: [260_000, 640_000] },
  { kind: 'Chalet', rooms: [3, 6], price: [380_000, 1_400_000] },
  { kind: 'Estudio', rooms: [0, 0], price: [95_000, 210_000] },
  { kind: 'Local comercial', rooms: [0, 0], price: [90_000, 450_000] },
];

function asciiSlug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
}

/** Builds the office's stable content (agents, step ids) from the seed alone. */
export function buildOffice(spec: { subdomain: string; agents: number; seed: number }): Office {
  const rng = createRng(spec.seed);
  const bucket = Math.abs(Math.floor(spec.seed)) % 1000;
  const stepIdBase = 1000 + bucket * 10;
  const userIdBase = 600 + bucket * 100;
  const steps = STEPS.map(([name, probability], position) => ({
    id: stepIdBase + position,
    name,
    position,
    probability,
  }));
  const agents: Agent[] = [];
  const emails = new Set<string>();
  const count = Math.max(1, Math.min(99, Math.floor(spec.agents)));
  while (agents.length < count) {
    const firstname = rng.pick(FIRST_NAMES);
    const lastname = rng.pick(LAST_NAMES);
    let local = `${asciiSlug(firstname)}.${asciiSlug(lastname)}`;
    if (emails.has(local)) local = `${local}${agents.length + 1}`;
    emails.add(local);
    const email = `${local}@${spec.subdomain}.example`;
    agents.push({ id: userIdBase + agents.length + 1, firstname, lastname, email });
  }
  return { subdomain: spec.subdomain, pipeline: PIPELINE, steps, agents, currency: 'EUR' };
}

/** A buyer: mostly a person ("Juan García"), sometimes a company ("Inversiones Ruiz SL"). */
export function clientName(rng: Rng): string {
  if (rng.chance(0.12)) return `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(LAST_NAMES)} SL`;
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

/** A property the client asks about: title prefix ("Piso 3 hab. Chamberí") and asking price. */
export function propertyListing(rng: Rng): { label: string; askingPrice: number } {
  const p = rng.pick(PROPERTIES);
  const rooms = rng.int(p.rooms[0], p.rooms[1]);
  const area = rng.pick(AREAS);
  const label = rooms > 0 ? `${p.kind} ${rooms} hab. ${area}` : `${p.kind} ${area}`;
  const askingPrice = Math.round(rng.int(p.price[0], p.price[1]) / 5000) * 5000;
  return { label, askingPrice };
}

/** The negotiated price: a few percent under the asking price, sometimes with cents. */
export function negotiatedPrice(rng: Rng, askingPrice: number): number {
  const price = Math.round((askingPrice * (0.9 + rng.next() * 0.1)) / 500) * 500;
  return rng.chance(0.15) ? price + 0.5 : price;
}
