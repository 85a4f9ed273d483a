select
    id as customer_id,
    first_name,
    last_name,
    lower(email) as email,
    country,
    created_at,
    _airbyte_extracted_at as loaded_at
from {{ source('raw_shop', 'customers') }}
