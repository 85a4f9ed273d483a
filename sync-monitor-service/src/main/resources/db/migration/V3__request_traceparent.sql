-- The W3C traceparent a sync request arrived with (null for older rows and untraced producers):
-- sync.started and the job's ending are published in that trace.
alter table sync_request add column traceparent varchar(100);
