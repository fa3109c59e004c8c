-- The metrics layer: lead facts the KPIs filter on, goals, and the indexes that keep the
-- dashboard's calls fast at a million leads.

-- Derived in the same statement as the rest of the lead (recomputeLeads): the channel of the
-- lead's first event; when its current status and current step began (from its history); its
-- close time when its status is closed (the CRM's closed_at, else when that status began); and
-- every step it has been in, by id (by name where the history has no id): the funnel's "reached".
ALTER TABLE leadhouse.leads
  ADD COLUMN channel text,
  ADD COLUMN status_since timestamptz,
  ADD COLUMN step_since timestamptz,
  ADD COLUMN close_time timestamptz,
  ADD COLUMN reached_steps bigint[],
  ADD COLUMN reached_names text[];

UPDATE leadhouse.leads l SET
  channel = (SELECT e.channel FROM leadhouse.events e
             WHERE e.source_id = l.source_id AND e.entity_type = 'lead' AND e.entity_id = l.lead_id
             ORDER BY e.occurred_at, e.external_id COLLATE "C" LIMIT 1),
  status_since = h.status_since, step_since = h.step_since, reached_steps = h.reached_steps,
  reached_names = h.reached_names,
  close_time = CASE WHEN l.status IN ('won', 'lost', 'cancelled', 'canceled') THEN COALESCE(l.closed_at, h.status_since) END
FROM (SELECT s.source_id, s.lead_id,
        max(s.changed_at) FILTER (WHERE s.seq = 1 OR s.to_status IS DISTINCT FROM s.from_status) AS status_since,
        max(s.changed_at) FILTER (WHERE s.seq = 1 OR s.to_step IS DISTINCT FROM s.from_step) AS step_since,
        array_agg(DISTINCT s.to_step_id ORDER BY s.to_step_id) FILTER (WHERE s.to_step_id IS NOT NULL) AS reached_steps,
        array_agg(DISTINCT s.to_step ORDER BY s.to_step) FILTER (WHERE s.to_step IS NOT NULL AND s.to_step_id IS NULL) AS reached_names
      FROM leadhouse.stage_changes s GROUP BY s.source_id, s.lead_id) h
WHERE h.source_id = l.source_id AND h.lead_id = l.lead_id;

-- Every KPI query names its sources (all of them by default), so each index leads with
-- source_id: one range scan per office. Each INCLUDEs what its queries group and filter by, so
-- the KPI reads are index-only scans (of a month of one office: a few thousand index entries).
-- Entries by time (leads_entered, conversion, cohorts, the funnel):
CREATE INDEX leads_entered_idx ON leadhouse.leads (source_id, created_at)
  INCLUDE (lead_id, owner_email, pipeline, step, channel, status, close_time, reached_steps, reached_names)
  WHERE deleted_at IS NULL;
-- Closes by close time (won / lost / cancelled, sales amount, ticket average, win rate, goals):
CREATE INDEX leads_closed_idx ON leadhouse.leads (source_id, close_time)
  INCLUDE (status, amount, owner_email, pipeline, step, channel) WHERE deleted_at IS NULL AND close_time IS NOT NULL;
-- Wins alone (sales, goals, trends of sales: a third of the closes):
CREATE INDEX leads_won_idx ON leadhouse.leads (source_id, close_time)
  INCLUDE (amount, owner_email, pipeline, step, channel) WHERE deleted_at IS NULL AND status = 'won';
-- Leads open now (leads_open and pipeline value as of a date):
CREATE INDEX leads_open_idx ON leadhouse.leads (source_id, created_at)
  INCLUDE (amount, probability, owner_email, pipeline, step, channel) WHERE deleted_at IS NULL AND close_time IS NULL;
CREATE INDEX leads_deleted_idx ON leadhouse.leads (source_id, deleted_at)
  INCLUDE (owner_email, pipeline, step, channel) WHERE deleted_at IS NOT NULL;
-- Stage history by time per office (activity, stage durations).
CREATE INDEX stage_changes_source_time_idx ON leadhouse.stage_changes (source_id, changed_at);

-- Sales goals: a target for an office (scope 'office', owner_email NULL) or one of its agents.
CREATE TABLE leadhouse.goals (
  id           bigserial PRIMARY KEY,
  scope        text NOT NULL CHECK (scope IN ('office', 'owner')),
  source_id    text NOT NULL,
  owner_email  text,
  metric       text NOT NULL CHECK (metric IN ('leads_won', 'sales_amount')),
  period       text NOT NULL CHECK (period IN ('month', 'year')),
  period_start date NOT NULL,
  target       numeric NOT NULL CHECK (target > 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((scope = 'office') = (owner_email IS NULL)),
  CHECK (period_start = date_trunc(period, period_start::timestamp)::date)
);
CREATE UNIQUE INDEX goals_key ON leadhouse.goals (scope, source_id, COALESCE(owner_email, ''), metric, period, period_start);

-- Every step a lead's history names, so the funnel can order a source's steps by id before any
-- /steps sync (from now on the ingest registers new ones; a sync fills in names and positions).
INSERT INTO leadhouse.stages (source_id, step_id, name)
SELECT DISTINCT ON (source_id, to_step_id) source_id, to_step_id, to_step FROM leadhouse.stage_changes
WHERE to_step_id IS NOT NULL AND to_step IS NOT NULL
ORDER BY source_id, to_step_id, changed_at DESC
ON CONFLICT (source_id, step_id) DO NOTHING;
