"""Audit records of what ADBC does through Flight actions rather than SQL text: bulk ingest and
transactions (BeginTransaction, EndTransaction). Each leaves exactly one record."""
import uuid

import adbc_driver_flightsql.dbapi as flight_sql
import pyarrow as pa

COOKIES = {"adbc.flight.sql.rpc.with_cookie_middleware": "true"}


def connect(uri, autocommit=True):
    return flight_sql.connect(uri, db_kwargs=dict(COOKIES), autocommit=autocommit)


def audit(uri):
    with connect(uri) as conn, conn.cursor() as cur:
        cur.execute("SHOW AUDIT LIMIT 500")
        return cur.fetch_arrow_table().to_pylist()


def test_ingest_and_transaction_actions_leave_one_record_each(tarn_server):
    table = f"audit_{uuid.uuid4().hex[:8]}"
    with connect(tarn_server, autocommit=False) as tx, tx.cursor() as cur:
        cur.adbc_ingest(table, pa.table({"id": pa.array([1, 2, 3], pa.int32())}), mode="create")
        tx.commit()
        cur.execute(f"INSERT INTO {table} VALUES (4)")
        tx.rollback()

    records = audit(tarn_server)
    ingests = [r for r in records if r["statement"] == f"bulk ingest into {table}"]
    assert len(ingests) == 1, ingests
    ingest = ingests[0]
    assert (ingest["kind"], ingest["outcome"], ingest["rows"]) == ("ingest", "ok", 3)
    assert ingest["reference"].startswith("tarn_tx_"), ingest  # it ran inside the transaction
    assert ingest["client_address"].startswith("127.0.0.1:"), ingest

    session = ingest["session_id"]
    mine = [r for r in reversed(records) if r["session_id"] == session]  # oldest first
    shown = [(r["kind"], r["statement"], r["outcome"]) for r in mine]
    commit = mine.index(next(r for r in mine if r["statement"] == "COMMIT (Flight SQL EndTransaction)"))
    assert mine[commit]["commit_hash"], shown  # the merge of the transaction's branch
    assert shown[commit - 1] == ("ingest", f"bulk ingest into {table}", "ok"), shown
    assert shown[commit + 1] == ("transaction", "BEGIN (Flight SQL BeginTransaction)", "ok"), shown
    assert shown[commit + 2] == ("dml", f"INSERT INTO {table} VALUES (4)", "ok"), shown
    assert shown[commit + 3] == ("transaction", "ROLLBACK (Flight SQL EndTransaction)", "ok"), shown
    assert mine[commit + 3]["commit_hash"] is None, shown
    assert len([r for r in mine if r["statement"] == f"INSERT INTO {table} VALUES (4)"]) == 1, shown


def test_a_failed_ingest_is_recorded_as_an_error(tarn_server):
    table = f"audit_missing_{uuid.uuid4().hex[:8]}"
    with connect(tarn_server) as conn, conn.cursor() as cur:
        try:
            cur.adbc_ingest(table, pa.table({"id": [1]}), mode="append")
            raise AssertionError("appending to a missing table must fail")
        except flight_sql.Error as e:
            assert table in str(e)
    failed = [r for r in audit(tarn_server) if r["statement"] == f"bulk ingest into {table}"]
    assert len(failed) == 1, failed
    assert failed[0]["outcome"] == "error" and table in failed[0]["error"], failed
