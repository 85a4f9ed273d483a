-- dbt's manifest.json of each run that wrote one (gzip-compressed), served by
-- GET /api/transforms/{name}/manifest. In the database, not only in the run's target directory,
-- so that every instance can serve it; a table of its own so that run rows stay small. The newest
-- tributary.transform.manifests-kept per transform are kept.
create table transform_manifest (
    run_id          uuid         primary key references transform_run (run_id) on delete cascade,
    transform_name  varchar(64)  not null,
    created_at      timestamptz  not null default now(),
    size_bytes      bigint       not null,
    manifest_gzip   bytea        not null
);
create index transform_manifest_newest on transform_manifest (transform_name, created_at desc);
