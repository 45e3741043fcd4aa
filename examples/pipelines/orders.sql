-- Sample data for the Bauplan-style project (examples/pipelines/bauplan_features): 600 orders.
-- Run it once with: ./tarn sql -f examples/pipelines/orders.sql
CREATE TABLE orders (id BIGINT, usd DOUBLE, country VARCHAR);
INSERT INTO orders
  SELECT range, (range % 100)::DOUBLE, ['IT', 'FR', 'DE', 'ES', 'US', 'GB'][1 + range % 6]
  FROM range(0, 600);
