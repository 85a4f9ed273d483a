-- Singular test: every order has exactly one payment of the same amount.
select o.order_id
from {{ ref('stg_orders') }} o
left join {{ ref('stg_payments') }} p on p.order_id = o.order_id
where p.payment_id is null or p.amount <> o.amount
