-- Issue 20: runner: kubernetes. Each run of it is a Job; the run keeps the Job's and its pod's
-- names (the API shows them; a restarted service re-attaches to the Job by its run-id label).
alter table transform_run add column job_name varchar(63);
alter table transform_run add column pod_name varchar(253);
-- The running kubernetes runs are counted at each claim (max-concurrent-jobs).
create index transform_run_running_kubernetes on transform_run (run_id)
    where status = 'running' and runner = 'kubernetes';
