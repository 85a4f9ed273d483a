-- The connections page reads each connection's recent sync endings.
create index pipeline_event_sync_endings on pipeline_event (event_time desc)
    where event_type in ('io.tributary.sync.succeeded', 'io.tributary.sync.failed',
                         'io.tributary.sync.cancelled');
create index pipeline_event_transform_endings on pipeline_event (event_time desc)
    where event_type in ('io.tributary.transform.succeeded', 'io.tributary.transform.failed');
