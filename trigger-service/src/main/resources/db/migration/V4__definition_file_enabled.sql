-- What the definitions file said about "enabled" when it last applied a hook or schedule (null: the
-- file never applied it). While the file keeps saying the same, a flag set through the API
-- (enable/disable, PUT) is kept at start; when the file's flag changes, the file's is applied.
alter table hook add column file_enabled boolean;
alter table schedule add column file_enabled boolean;
