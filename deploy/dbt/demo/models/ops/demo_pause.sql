{#- Holds the run for var('pause_seconds') seconds; disabled (not built) when it is 0.
    Select it with the models to slow down, e.g. --select stg_customers demo_pause. -#}
{{ config(enabled=(var('pause_seconds', 0) | int > 0), materialized='table', schema='ops') }}
select pg_sleep({{ var('pause_seconds', 0) | int }}) is null as paused
