-- The correlation id of the event a delivery is about (that of its first event, like event_id;
-- null when the event has none): published with the delivery's outcome, shown by the API. Older
-- rows take it from the first stored event.
alter table delivery add column correlation_id varchar(200);
update delivery set correlation_id = (events::jsonb -> 0 -> 'data' ->> 'correlationId')
    where correlation_id is null;
