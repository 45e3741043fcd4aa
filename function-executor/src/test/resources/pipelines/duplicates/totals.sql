SELECT country, sum(usd) FROM transactions GROUP BY country
