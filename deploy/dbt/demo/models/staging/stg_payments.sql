select
    id as payment_id,
    order_id,
    payment_method,
    amount,
    status,
    created_at,
    _airbyte_extracted_at as loaded_at
from {{ source('raw_shop', 'payments') }}
