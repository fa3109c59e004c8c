-- Leadhouse core: the append-only event log and the projections built from it.
CREATE SCHEMA IF NOT EXISTS leadhouse;
CREATE SCHEMA IF NOT EXISTS reporting;

-- Sources declared in the configuration (registered at start).
CREATE TABLE leadhouse.sources (
  id         text PRIMARY KEY CHECK (id ~ '^[a-z0-9_]+$'),
  kind       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- THE event log. Append-only: one row per provider event, whatever the channel.
-- (source_id, external_id) makes redelivery a no-op. occurred_at is the event time (when it
-- happened in the CRM), received_at is when it reached us; projections order by event time.
CREATE TABLE leadhouse.events (
  id          bigserial PRIMARY KEY,
  source_id   text NOT NULL,
  external_id text NOT NULL,
  type        text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  channel     text NOT NULL CHECK (channel IN ('webhook', 'api', 'file', 'poll', 'manual')),
  data        jsonb NOT NULL DEFAULT '{}',
  raw         jsonb,
  meta        jsonb NOT NULL DEFAULT '{}',
  CONSTRAINT events_source_external_key UNIQUE (source_id, external_id)
);
CREATE INDEX events_entity_idx ON leadhouse.events (source_id, entity_type, entity_id);
CREATE INDEX events_type_idx ON leadhouse.events (type, id);
CREATE INDEX events_received_idx ON leadhouse.events (source_id, received_at);

-- Current state of each lead: a pure function of its events (field-wise latest by event time).
CREATE TABLE leadhouse.leads (
  source_id   text NOT NULL,
  lead_id     text NOT NULL,
  title       text,
  pipeline    text,
  step        text,
  step_id     bigint,
  status      text,
  amount      numeric,
  currency    text,
  probability numeric,
  owner_email text,
  owner_id    text,
  folder_id   text,
  folder_name text,
  permalink   text,
  created_at  timestamptz,
  updated_at  timestamptz NOT NULL,
  closed_at   timestamptz,
  deleted_at  timestamptz,
  event_count int NOT NULL,
  PRIMARY KEY (source_id, lead_id)
);
CREATE INDEX leads_updated_idx ON leadhouse.leads (updated_at, source_id, lead_id);
CREATE INDEX leads_owner_idx ON leadhouse.leads (source_id, owner_email);

-- Every step/status change of a lead, in event-time order (the first row is the lead's entry).
CREATE TABLE leadhouse.stage_changes (
  source_id   text NOT NULL,
  lead_id     text NOT NULL,
  event_external_id text NOT NULL,
  changed_at  timestamptz NOT NULL,
  seq         int NOT NULL,
  pipeline    text,
  from_step   text,
  to_step     text,
  from_step_id bigint,
  to_step_id  bigint,
  from_status text,
  to_status   text,
  amount      numeric,
  moved_by    text,
  PRIMARY KEY (source_id, lead_id, event_external_id)
);
CREATE INDEX stage_changes_time_idx ON leadhouse.stage_changes (changed_at);

-- Agents (lead owners), by e-mail within a source.
CREATE TABLE leadhouse.owners (
  source_id     text NOT NULL,
  email         text NOT NULL,
  owner_id      text,
  name          text,
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  owner_id_v    text,
  name_v        text,
  PRIMARY KEY (source_id, email)
);

-- Client folders.
CREATE TABLE leadhouse.folders (
  source_id     text NOT NULL,
  folder_id     text NOT NULL,
  name          text,
  created_at    timestamptz,
  first_seen_at timestamptz NOT NULL,
  name_v        text,
  PRIMARY KEY (source_id, folder_id)
);

-- Rows that could not be parsed: kept with where they came from and why, never dropped.
CREATE TABLE leadhouse.quarantine (
  id          bigserial PRIMARY KEY,
  source_id   text,
  channel     text NOT NULL,
  origin      text,
  line        int,
  reason      text NOT NULL,
  payload     text,
  received_at timestamptz NOT NULL DEFAULT now()
);
