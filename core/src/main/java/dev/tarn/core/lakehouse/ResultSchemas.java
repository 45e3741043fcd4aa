package dev.tarn.core.lakehouse;

import static dev.tarn.core.arrow.Columns.bool;
import static dev.tarn.core.arrow.Columns.schema;
import static dev.tarn.core.arrow.Columns.text;
import static dev.tarn.core.arrow.Columns.textList;
import static dev.tarn.core.arrow.Columns.timestamp;

import org.apache.arrow.vector.types.pojo.Schema;

/** The fixed result schemas of Tarn's SHOW and MERGE statements, as the SQL spec names their columns. */
final class ResultSchemas {
  private ResultSchemas() {}

  static final Schema REFERENCES = schema(
      text("name"), text("type"), text("commit_hash"), timestamp("committed_at"));

  static final Schema LOG = schema(
      text("commit_hash"), text("parent_hash"), text("author"), timestamp("committed_at"), text("message"),
      textList("tables_changed"));

  static final Schema MERGE = schema(text("target"), text("commit_hash"), textList("tables_changed"));

  static final Schema MERGE_DRY_RUN = schema(
      text("target"), text("source"), bool("would_apply"), text("common_ancestor"), textList("tables_changed"),
      textList("conflicts"), textList("table_outcomes"));

  static final Schema DIFF = schema(text("table_name"), text("change"));

  static final Schema VIEWS = schema(text("schema_name"), text("view_name"), text("sql"));
}
