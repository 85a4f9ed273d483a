-- Revenue per order date and currency, from orders with a successful payment.
select
    o.order_date,
    o.currency,
    count(*) as orders,
    sum(p.amount) as revenue
from {{ ref('stg_orders') }} o
join {{ ref('stg_payments') }} p on p.order_id = o.order_id
where p.status = 'success'
group by o.order_date, o.currency
