{#- Reads the table named by var('retry_probe_table'); disabled (not built) when the var is unset.
    The transform-service's retry tests point it at a table that does not exist yet (the model
    errors, its downstream is skipped), create the table, and retry only what failed. -#}
{{ config(enabled=(var('retry_probe_table', '') != ''), materialized='table', schema='ops') }}
select n from {{ var('retry_probe_table', 'none') }}
