{#- Downstream of retry_probe (skipped when it errors); disabled with it. -#}
{{ config(enabled=(var('retry_probe_table', '') != ''), materialized='table', schema='ops') }}
select coalesce(sum(n), 0) as total from {{ ref('retry_probe') }}
