-- The W3C traceparent of the trigger that queued the run (the first one when triggers merge; null
-- for older rows, operators' runs and untraced producers): the run's events are published in it.
alter table transform_run add column traceparent varchar(100);
