-- The runs list filtered by trigger kind, newest first. Without it the filter is checked run by run:
-- a kind no recent run has (the form offers all five) reads the whole table (100,000 runs: ~40 ms,
-- growing with the read model; see bench/bench.sh).
create index pipeline_run_by_trigger on pipeline_run (trigger_kind, started_at desc, correlation_id desc);
