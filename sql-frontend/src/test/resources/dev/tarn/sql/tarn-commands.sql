-- Every Tarn statement and alias; TarnCommandRoundTripTest unparses and reparses each.

-- Branch and tag commands (sql.md)
CREATE BRANCH dev;
CREATE BRANCH IF NOT EXISTS dev FROM main;
CREATE BRANCH dev FROM main AT COMMIT 'a1b2c3d4e5';
CREATE BRANCH dev FROM TAG v1;
CREATE BRANCH b AT BRANCH r;
CREATE BRANCH b AT TAG "v1.0" AT COMMIT 'abcdef01';
CREATE TAG v1;
CREATE TAG IF NOT EXISTS "Release 1" FROM "feature/x" IN nessie;
DROP BRANCH dev;
DROP BRANCH IF EXISTS "feature/x";
DROP TAG v1 IN nessie;
USE BRANCH dev;
USE TAG v1;
USE REFERENCE dev;
USE REFERENCE dev AT COMMIT 'a1b2c3d4';
USE REFERENCE dev AT TIMESTAMP '2026-11-20 10:00:00';
USE BRANCH "Dev" IN nessie;
MERGE BRANCH dev;
MERGE BRANCH dev INTO main;
MERGE BRANCH DRY RUN dev INTO main;
MERGE BRANCH DRY RUN "feature/x" IN nessie;
ALTER BRANCH main ASSIGN TO dev;
ALTER BRANCH main ASSIGN TO main AT COMMIT 'a1b2c3d4';
ASSIGN BRANCH main TO dev AT 'a1b2c3d4';
ASSIGN BRANCH main TO TAG v1 IN nessie;
SHOW BRANCHES;
SHOW TAGS;
SHOW REFERENCES;
LIST REFERENCES;
SHOW BRANCHES IN nessie;
SHOW LOG;
SHOW LOG dev;
SHOW LOG dev LIMIT 10;
SHOW LOGS LIMIT 3;
SHOW DIFF dev;
SHOW DIFF dev AGAINST main IN nessie;

-- Pipelines (pipelines.md)
RUN PIPELINE 'path/to/project';
RUN PIPELINE 'p' ON BRANCH dev;
RUN PIPELINE 'p' WITH (dry_run = true, param.x = 'it''s', param.n = 10, param.f = -2.50, "Key" = false);
SHOW RUNS;
SHOW RUN 'run-1';
CREATE MERGE REQUEST FROM "agent/Bot" INTO main;
CREATE MERGE REQUEST FROM dev INTO "Main" TITLE 'it''s "done"' PROJECT 'p/q';
SHOW MERGE REQUESTS;
APPROVE MERGE REQUEST 7;
REJECT MERGE REQUEST 8;
REJECT MERGE REQUEST 9 REASON 'not ''yet''';

-- Maintenance
OPTIMIZE TABLE t;
OPTIMIZE TABLE sales."Öl Preise";
OPTIMIZE TABLE dev.sales.optimize;
OPTIMIZE TABLE t WHERE day >= DATE '2024-01-01' AND country IN ('IT', 'DE') AND note IS NOT NULL;
OPTIMIZE TABLE sales.t WHERE id BETWEEN 1 AND 9;
