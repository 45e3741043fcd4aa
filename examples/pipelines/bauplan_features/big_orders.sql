-- bauplan: materialization_strategy=REPLACE
-- Orders of at least $min_usd, outside $excluded_country: the parameters are bound as values.
SELECT id, usd, country
FROM orders
WHERE usd >= $min_usd AND country <> $excluded_country
