package dev.tarn.bench.load;

/** The statements a B7 client mixes, with their share of the mix in percent. */
enum Kind {
  /** {@code SELECT * FROM s.t WHERE id = ?} on main, one prepared statement per client, a new id each time. */
  POINT("point", 70),
  /** A scan with an aggregation over the whole table, on main or on the client's own branch. */
  SCAN("scan", 20),
  /** A one-row {@code INSERT INTO load_i.s.t}: a small commit on the client's own branch. */
  INSERT("insert", 10);

  final String key;
  final int percent;

  Kind(String key, int percent) {
    this.key = key;
    this.percent = percent;
  }

  /** The kind for a draw in [0, 100). */
  static Kind forDraw(int draw) {
    int upTo = 0;
    for (Kind k : values()) {
      upTo += k.percent;
      if (draw < upTo) {
        return k;
      }
    }
    return INSERT;
  }
}
