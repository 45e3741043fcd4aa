-- Each statement is preceded by its expected kind and whether Calcite's grammar (Tarn's or babel's)
-- parses it: "-- KIND calcite" or "-- KIND duckdb". StatementClassificationTest reads this file.

-- QUERY calcite
SELECT 1;
-- QUERY calcite
select a, b from t where a > 1 order by b limit 10;
-- QUERY calcite
(SELECT a FROM t) UNION ALL (SELECT a FROM u);
-- QUERY calcite
WITH c AS (SELECT * FROM t) SELECT * FROM c;
-- QUERY calcite
VALUES (1, 'a'), (2, 'b');
-- QUERY calcite
SELECT x::INTEGER, y::VARCHAR FROM t;
-- QUERY calcite
SELECT log, tag, branch, reference, pipeline, run, runs, diff, year, month, day, value FROM t;
-- QUERY calcite
DESCRIBE t;
-- QUERY calcite
SHOW TABLES;
-- QUERY duckdb
FROM t SELECT a;
-- QUERY duckdb
FROM t;
-- QUERY calcite
SELECT * EXCLUDE (a) FROM t QUALIFY row_number() OVER () = 1 ORDER BY ALL;
-- QUERY duckdb
PRAGMA table_info('t');
-- QUERY duckdb
PRAGMA show_tables;
-- QUERY duckdb
SUMMARIZE t;
-- QUERY duckdb
SUMMARIZE SELECT * FROM t;
-- QUERY duckdb
EXPLAIN SELECT 1;
-- QUERY duckdb
EXPLAIN ANALYZE SELECT * FROM t;
-- QUERY calcite
DESCRIBE SELECT 1 AS x;
-- QUERY duckdb
SELECT list_transform([1, 2, 3], x -> x + 1);
-- QUERY duckdb
SELECT {'a': 1} AS s;
-- QUERY duckdb
PIVOT t ON year USING sum(x);
-- QUERY duckdb
/* leading comment */ -- and another
  FROM read_parquet('x/*.parquet') LIMIT 3;
-- DML calcite
INSERT INTO t VALUES (1, 2);
-- DML calcite
INSERT INTO s.t (a, b) SELECT a, b FROM u;
-- DML calcite
UPDATE t SET a = 1 WHERE b = 2;
-- DML calcite
DELETE FROM t WHERE a IN (SELECT a FROM u);
-- DML calcite
MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = u.a WHEN NOT MATCHED THEN INSERT VALUES (u.id, u.a);
-- DML duckdb
WITH c AS (SELECT 1 AS a) INSERT INTO t SELECT * FROM c;
-- DML calcite
DELETE FROM t WHERE a IN (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT n FROM c);
-- DML duckdb
INSERT OR REPLACE INTO t VALUES (1);
-- DML duckdb
INSERT INTO t BY NAME SELECT * FROM u;
-- DML duckdb
DELETE FROM t USING u WHERE t.id = u.id;
-- DDL calcite
CREATE TABLE t AS SELECT * FROM u;
-- DDL calcite
CREATE TABLE t (id BIGINT, usd DOUBLE, country VARCHAR);
-- DDL duckdb
CREATE TABLE t AS FROM x;
-- DDL calcite
CREATE OR REPLACE TABLE t AS SELECT 1;
-- DDL duckdb
CREATE TABLE IF NOT EXISTS sales.t (id BIGINT) PARTITIONED BY (day(ts));
-- DDL duckdb
CREATE SCHEMA IF NOT EXISTS sales;
-- DDL duckdb
CREATE VIEW v AS SELECT 1;
-- DDL duckdb
CREATE MACRO add(a, b) AS a + b;
-- DDL duckdb
DROP TABLE IF EXISTS sales.t;
-- DDL duckdb
ALTER TABLE t ADD COLUMN c INTEGER;
-- DDL duckdb
ALTER TABLE t RENAME COLUMN a TO b;
-- DDL duckdb
TRUNCATE t;
-- DDL duckdb
COPY t TO 'x.parquet' (FORMAT PARQUET);
-- DDL duckdb
COPY t FROM 'x.csv';
-- DDL duckdb
EXPORT DATABASE 'dir';
-- DDL duckdb
IMPORT DATABASE 'dir';
-- DDL duckdb
ATTACH 'x.db';
-- DDL duckdb
ATTACH 'x.db' AS x (READ_ONLY);
-- DDL duckdb
DETACH x;
-- DDL duckdb
INSTALL httpfs;
-- DDL duckdb
FORCE INSTALL httpfs;
-- DDL duckdb
LOAD httpfs;
-- DDL duckdb
UPDATE EXTENSIONS;
-- DDL duckdb
CREATE SECRET (TYPE S3, KEY_ID 'k');
-- SESSION calcite
SET threads = 1;
-- SESSION calcite
SET threads TO 4;
-- SESSION calcite
SET SESSION memory_limit = '1GB';
-- SESSION calcite
RESET threads;
-- SESSION duckdb
USE sales;
-- SESSION duckdb
USE SCHEMA sales;
-- SESSION duckdb
PRAGMA threads = 4;
-- TRANSACTION calcite
BEGIN;
-- TRANSACTION calcite
BEGIN TRANSACTION;
-- TRANSACTION duckdb
START TRANSACTION;
-- TRANSACTION calcite
COMMIT;
-- TRANSACTION duckdb
END;
-- TRANSACTION calcite
ROLLBACK;
-- TRANSACTION duckdb
ABORT;
-- OTHER duckdb
CHECKPOINT;
-- OTHER duckdb
FORCE CHECKPOINT;
-- TARN_COMMAND calcite
VACUUM;
-- OTHER duckdb
VACUUM ANALYZE t;
-- OTHER duckdb
ANALYZE;
-- OTHER calcite
CALL pragma_version();
-- OTHER duckdb
PREPARE q AS SELECT $1;
-- OTHER duckdb
EXECUTE q(1);
-- TARN_COMMAND calcite
SHOW BRANCHES;
-- TARN_COMMAND calcite
RUN PIPELINE 'p';
