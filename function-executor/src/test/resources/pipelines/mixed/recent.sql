-- tarn: materialize=false
WITH bounds AS (SELECT DATE '2023-01-01' AS lo)
SELECT t.id, t.usd, t.country
FROM raw.transactions t, bounds b   -- a qualified lakehouse table and a CTE
WHERE t.eventTime >= b.lo AND EXTRACT(YEAR FROM t.eventTime) = 2023
