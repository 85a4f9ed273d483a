-- The W3C traceparent of the event a delivery is about (null for older rows and untraced
-- producers): the delivery is sent, and its outcome published, in that trace.
alter table delivery add column traceparent varchar(100);
