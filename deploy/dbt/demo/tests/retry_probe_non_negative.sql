{#- Fails when the probe table holds a negative n: a failed data test (status fail), which
    automatic retries leave alone unless asked. Disabled with retry_probe. -#}
{{ config(enabled=(var('retry_probe_table', '') != '')) }}
select n from {{ ref('retry_probe') }} where n < 0
