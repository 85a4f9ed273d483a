-- Every correlation id of the syncs that triggered a run (several on a fan-in run or when
-- triggers merge into a queued run); correlation_id stays the first of them. Older rows get
-- their one correlation id.
alter table transform_run add column correlation_ids text[] not null default '{}';
update transform_run set correlation_ids = array[correlation_id] where correlation_id is not null;

-- The fan-in state keeps the correlation ids of every sync of a connection since the last run was
-- queued (a connection landing twice counts once, with its latest job, but both syncs' pipeline
-- runs lead to the transform run).
alter table transform_fan_in add column correlation_ids text[] not null default '{}';
update transform_fan_in set correlation_ids = array[correlation_id] where correlation_id is not null;
