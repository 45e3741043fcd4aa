-- Sample data for the seed pipeline (examples/pipelines/seed): three months of card transactions.
-- Run it once with: ./tarn sql -f examples/pipelines/transactions.sql
CREATE TABLE transactions (id BIGINT, usd DOUBLE, country VARCHAR, eventTime TIMESTAMP);
-- one INSERT per month: each becomes its own data file, so the pipeline's filter can skip two of them
INSERT INTO transactions
  SELECT range, round(random() * 100, 2), ['IT', 'FR', 'DE', 'ES', 'US', 'GB'][1 + range % 6],
         TIMESTAMP '2023-01-01' + INTERVAL (range) MINUTE
  FROM range(0, 20000);
INSERT INTO transactions
  SELECT range, round(random() * 100, 2), ['IT', 'FR', 'DE', 'ES', 'US', 'GB'][1 + range % 6],
         TIMESTAMP '2023-02-05' + INTERVAL (range) MINUTE
  FROM range(20000, 40000);
INSERT INTO transactions
  SELECT range, round(random() * 100, 2), ['IT', 'FR', 'DE', 'ES', 'US', 'GB'][1 + range % 6],
         TIMESTAMP '2023-03-05' + INTERVAL (range) MINUTE
  FROM range(40000, 60000);
