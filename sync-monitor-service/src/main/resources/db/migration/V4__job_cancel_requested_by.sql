-- Who cancelled a job through the API (POST /api/jobs/{id}/cancel: the token's name). A cancel the
-- monitor made itself because the deadline passed leaves it null: cancel_requested_at alone means
-- "timed out" (a failure), with cancel_requested_by the job simply ends cancelled.
alter table airbyte_job add column cancel_requested_by varchar(100);
