{#- Holds the run for var('pause_seconds') seconds (0: no-op). Used by on-run-start. -#}
{% macro demo_pause() %}
  {%- set seconds = var('pause_seconds', 0) | int -%}
  {%- if seconds > 0 -%}
    select pg_sleep({{ seconds }})
  {%- else -%}
    select 1
  {%- endif -%}
{% endmacro %}
