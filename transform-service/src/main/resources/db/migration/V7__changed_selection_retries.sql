-- Issue 18: runs narrowed to what their syncs changed, skipped runs, and dbt retry.
--
-- 'skipped': a select: changed transform whose syncs committed nothing (no dbt run).
alter table transform_run drop constraint transform_run_status_check;
alter table transform_run add constraint transform_run_status_check
    check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped'));

-- The sync endings that triggered the run, with what each committed per stream
-- ([{connectionId, jobId, streams: [{namespace, name, recordsCommitted, bytesCommitted}] | null}]),
-- appended when triggers merge; the selection is computed from them when the run starts.
alter table transform_run add column endings jsonb not null default '[]';
alter table transform_run add column selection_reason text;
alter table transform_run add column changed_streams text[];
-- dbt retry: the run this one retries, and how many retries in a row it is (1 for the first).
alter table transform_run add column retry_of uuid;
alter table transform_run add column retry_number int not null default 0;

-- A fan-in keeps every landed sync's ending (a connection landing twice brought data twice).
alter table transform_fan_in add column endings jsonb not null default '[]';
