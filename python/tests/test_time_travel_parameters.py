"""Time travel with statement parameters through Python ADBC: AT TIMESTAMP ?, FOR SYSTEM_TIME AS OF ?, AT COMMIT ?."""
import datetime
import time

import adbc_driver_manager
import pytest


def last_commit(cur):
    cur.execute("SHOW LOG main LIMIT 1")
    log = cur.fetch_arrow_table()
    return log.column("commit_hash")[0].as_py(), log.column("committed_at")[0].as_py()


def ids(cur):
    return [row[-1] for row in cur.fetchall()]


@pytest.fixture()
def two_commits(conn):
    """ttp.t with rows 1 and 2 in a first commit and row 3 in a second; a moment between the two."""
    with conn.cursor() as cur:
        cur.execute("CREATE SCHEMA IF NOT EXISTS ttp")
        cur.execute("CREATE OR REPLACE TABLE ttp.t (id BIGINT, name VARCHAR)")
        cur.execute("INSERT INTO ttp.t VALUES (1, 'a'), (2, 'b')")
        first, first_at = last_commit(cur)
        time.sleep(0.2)
        cur.execute("INSERT INTO ttp.t VALUES (3, 'c')")
        second, second_at = last_commit(cur)
    assert first_at.tzinfo is not None, "committed_at is a UTC timestamp"
    return {"first": first, "second": second, "between": first_at + (second_at - first_at) / 2}


def test_at_timestamp_takes_a_datetime_or_a_string_among_other_parameters(conn, two_commits):
    between = two_commits["between"]
    naive_utc = between.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    with conn.cursor() as cur:
        for moment in (between, naive_utc, naive_utc.isoformat(sep=" ")):
            cur.execute("SELECT id FROM ttp.t AT TIMESTAMP ? WHERE id > ? ORDER BY id", parameters=(moment, 1))
            assert ids(cur) == [2], f"as of {moment!r}: rows 1 and 2 only"
        cur.execute("SELECT ? AS label, id FROM ttp.t FOR SYSTEM_TIME AS OF ? WHERE id >= ? ORDER BY id",
                    parameters=("then", between, 2))
        assert cur.fetchall() == [("then", 2)]
        cur.execute("SELECT id FROM ttp.t AT TIMESTAMP ? WHERE id > ? ORDER BY id",
                    parameters=(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1), 1))
        assert ids(cur) == [2, 3], "a later moment reads the later commit"


def test_prepared_parameter_schema_lists_time_travel_parameters_at_their_places(conn, two_commits):
    with conn.cursor() as cur:
        schema = cur.adbc_prepare("SELECT ? AS label, id FROM ttp.t AT TIMESTAMP ? JOIN ttp.t AT COMMIT ? AS b"
                                  " USING (id) WHERE id > ?")
        assert [str(field.type) for field in schema] == ["string", "timestamp[ms]", "string", "int64"]


def test_at_commit_takes_a_hash_on_two_and_three_part_names(conn, two_commits):
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM ttp.t AT COMMIT ? WHERE id > ? ORDER BY id",
                    parameters=(two_commits["first"][:12], 0))
        assert ids(cur) == [1, 2]
        cur.execute("SELECT count(*) FROM main.ttp.t AT COMMIT ?", parameters=(two_commits["second"],))
        assert cur.fetchone()[0] == 3


def test_bad_values_are_named_and_the_connection_keeps_serving(conn, two_commits):
    with conn.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error) as unparseable:
            cur.execute("SELECT id FROM ttp.t AT TIMESTAMP ? WHERE id > ?", parameters=("next tuesday ☃", 0))
        assert "parameter 1 (AT TIMESTAMP ?)" in str(unparseable.value)
        assert "next tuesday ☃" in str(unparseable.value)

        with pytest.raises(adbc_driver_manager.Error) as unknown:
            cur.execute("SELECT id FROM ttp.t AT COMMIT ?", parameters=("0123456789abcdef",))
        assert "0123456789abcdef" in str(unknown.value)

        with pytest.raises(adbc_driver_manager.Error) as wrong_type:
            cur.execute("SELECT id FROM ttp.t AT TIMESTAMP ?", parameters=(42,))
        assert "not BIGINT 42" in str(wrong_type.value)

        cur.execute("SELECT count(*) FROM ttp.t")
        assert cur.fetchone()[0] == 3
