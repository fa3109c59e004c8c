// The read-only endpoints the fake serves under /api/v2 (§2.1, §2.4, §2.5).
import { listLeads, toRestLead } from './listLeads.js';
import { apiError, badParam, ok, type Reply } from './reply.js';
import type { FakeData } from './types.js';

export const BASE_PATH = '/api/v2';

const notFound = (): Reply => apiError(404, 'Record not found', 'record_not_found');

function direction(q: Record<string, string>): 1 | -1 | undefined {
  const d = q['direction'] ?? 'asc';
  return d === 'asc' ? 1 : d === 'desc' ? -1 : undefined;
}

export function route(
  data: FakeData,
  method: string,
  pathname: string,
  q: Record<string, string>,
  maxLimit: number,
): Reply {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const noRoute = apiError(404, `No route for ${method} ${pathname}`, 'not_found');
  if (method !== 'GET' || !path.startsWith(`${BASE_PATH}/`)) return noRoute;
  const parts = path.slice(BASE_PATH.length + 1).split('/');
  const [resource, id, ...rest] = parts;
  if (rest.length > 0) return noRoute;

  if (resource === 'ping' && id === undefined)
    return ok({ status: 200, message: 'Your API key is correct.' });
  if (resource === 'leads') {
    if (id === undefined) return listLeads(data.leads.values(), q, maxLimit);
    if (!/^\d+$/.test(id)) return noRoute;
    const lead = data.leads.get(Number(id));
    return lead ? ok(toRestLead(lead)) : notFound();
  }
  if (id !== undefined) {
    const lists: Record<string, ReadonlyArray<{ id: number }>> = {
      users: data.users,
      steps: data.steps,
      pipelines: data.pipelines,
      clients: data.clients,
    };
    const items = Object.hasOwn(lists, resource ?? '') ? lists[resource ?? ''] : undefined;
    if (!items || !/^\d+$/.test(id)) return noRoute;
    const found = items.find((x) => x.id === Number(id));
    return found ? ok(found) : notFound();
  }

  const dir = direction(q);
  switch (resource) {
    case 'users':
      return ok(data.users);
    case 'pipelines':
      return ok(data.pipelines);
    case 'steps':
      if (dir === undefined) return badParam('direction must be asc or desc');
      return ok([...data.steps].sort((a, b) => dir * (a.position - b.position || a.id - b.id)));
    case 'clients': {
      if (dir === undefined) return badParam('direction must be asc or desc');
      const order = q['order'] ?? 'name';
      if (order !== 'name' && order !== 'id') return badParam('order must be name or id');
      return ok(
        [...data.clients].sort(
          (a, b) => dir * ((order === 'name' ? a.name.localeCompare(b.name) : 0) || a.id - b.id),
        ),
      );
    }
    default:
      return noRoute;
  }
}
