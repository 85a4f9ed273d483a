-- One row per customer: orders, revenue (payments that were not refunded) and first/last order.
with orders as (
    select * from {{ ref('stg_orders') }}
),
payments as (
    select order_id, sum(amount) as paid
    from {{ ref('stg_payments') }}
    where status = 'success'
    group by order_id
)
select
    c.customer_id,
    c.first_name,
    c.last_name,
    c.country,
    count(o.order_id) as order_count,
    coalesce(sum(p.paid), 0) as revenue,
    min(o.order_date) as first_order_date,
    max(o.order_date) as last_order_date
from {{ ref('stg_customers') }} c
left join orders o on o.customer_id = c.customer_id
left join payments p on p.order_id = o.order_id
group by c.customer_id, c.first_name, c.last_name, c.country
