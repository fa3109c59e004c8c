-- API syncs: checkpoints, the shared daily request budget, and the CRM's reference data.

-- One row per (source, stream): where the last run got to, committed with every page it wrote.
CREATE TABLE leadhouse.sync_state (
  source_id       text NOT NULL,
  stream          text NOT NULL,
  state           jsonb NOT NULL DEFAULT '{}',
  last_success_at timestamptz,
  last_error      text,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, stream)
);

-- Requests made per source and UTC day: every process shares the budget.
CREATE TABLE leadhouse.api_quota (
  source_id text NOT NULL,
  day       date NOT NULL,
  used      int NOT NULL DEFAULT 0,
  PRIMARY KEY (source_id, day)
);

-- A source whose API said 429: no call before `until`.
CREATE TABLE leadhouse.api_pause (
  source_id text PRIMARY KEY,
  until     timestamptz NOT NULL,
  reason    text NOT NULL,
  set_at    timestamptz NOT NULL DEFAULT now()
);

-- The CRM's pipelines and ordered steps (the funnel), as last synced.
CREATE TABLE leadhouse.pipelines (
  source_id   text NOT NULL,
  pipeline_id text NOT NULL,
  name        text NOT NULL,
  is_default  boolean,
  synced_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, pipeline_id)
);

CREATE TABLE leadhouse.stages (
  source_id   text NOT NULL,
  step_id     bigint NOT NULL,
  name        text NOT NULL,
  position    int,
  pipeline_id text,
  pipeline    text,
  synced_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_id, step_id)
);

-- Imports and syncs, one row per run: what was read, written, quarantined.
CREATE TABLE leadhouse.sync_log (
  id          bigserial PRIMARY KEY,
  source_id   text NOT NULL,
  kind        text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status      text NOT NULL DEFAULT 'running',
  summary     jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX quarantine_source_idx ON leadhouse.quarantine (source_id, received_at);
