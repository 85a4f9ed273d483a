select
    id as order_id,
    customer_id,
    order_date,
    status,
    amount,
    currency,
    _airbyte_extracted_at as loaded_at
from {{ source('raw_shop', 'orders') }}
