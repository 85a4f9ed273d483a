-- Subscription filters are CEL over the event (null: every event of the subscription's types).
-- The old JSON filters ({connections, transforms, reasons}) become the same CEL that
-- LegacyFilters.toCel() makes of them when an API body or the YAML file still carries them.
alter table subscription add column filter text;

update subscription s
set filter = nullif(concat_ws(' && ',
        case
            when f.connections is null and f.transforms is null then null
            when f.transforms is null then
                'type.startsWith(''io.tributary.sync.'') && data.connectionId in ' || f.connections
            when f.connections is null then
                'type.startsWith(''io.tributary.transform.'') && data.transformName in ' || f.transforms
            else '((type.startsWith(''io.tributary.sync.'') && data.connectionId in ' || f.connections
                || ') || (type.startsWith(''io.tributary.transform.'') && data.transformName in '
                || f.transforms || '))'
        end,
        case
            when f.reasons is null then null
            when f.sync_reasons is null then 'type != ''io.tributary.sync.failed'''
            else '(type != ''io.tributary.sync.failed'' || data.reason in ' || f.sync_reasons || ')'
        end,
        case
            when f.reasons is null or (f.node_failed and f.dbt_failed) then null
            when f.node_failed then '(type != ''io.tributary.transform.failed'''
                || ' || (has(data.exitCode) && data.exitCode == 1))'
            when f.dbt_failed then '(type != ''io.tributary.transform.failed'''
                || ' || !has(data.exitCode) || data.exitCode != 1)'
            else 'type != ''io.tributary.transform.failed'''
        end), '')
from (
    select id,
           (select '[' || string_agg(quoted, ', ' order by n) || ']'
            from (select n, '''' || replace(replace(replace(replace(v, '\', '\\'), '''', '\'''),
                          chr(10), '\n'), chr(13), '\r') || '''' as quoted
                  from jsonb_array_elements_text(filters::jsonb -> 'connections')
                       with ordinality as e(v, n)) q) as connections,
           (select '[' || string_agg(quoted, ', ' order by n) || ']'
            from (select n, '''' || replace(replace(replace(replace(v, '\', '\\'), '''', '\'''),
                          chr(10), '\n'), chr(13), '\r') || '''' as quoted
                  from jsonb_array_elements_text(filters::jsonb -> 'transforms')
                       with ordinality as e(v, n)) q) as transforms,
           (select '[' || string_agg('''' || v || '''', ', ' order by n) || ']'
            from jsonb_array_elements_text(filters::jsonb -> 'reasons') with ordinality as e(v, n))
               as reasons,
           (select '[' || string_agg('''' || v || '''', ', ' order by n) || ']'
            from jsonb_array_elements_text(filters::jsonb -> 'reasons') with ordinality as e(v, n)
            where v not in ('node_failed', 'dbt_failed')) as sync_reasons,
           coalesce(filters::jsonb -> 'reasons' @> '["node_failed"]', false) as node_failed,
           coalesce(filters::jsonb -> 'reasons' @> '["dbt_failed"]', false) as dbt_failed
    from subscription
) f
where f.id = s.id;

alter table subscription drop column filters;
