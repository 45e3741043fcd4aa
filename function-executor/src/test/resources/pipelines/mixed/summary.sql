-- tarn: materialize=true
SELECT s.id, sum(s.usd) AS usd FROM scored s JOIN "countries" c ON c.id = s.id GROUP BY s.id;
