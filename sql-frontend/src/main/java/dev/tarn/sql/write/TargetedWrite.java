package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;

/** A write to one table, named by {@link #target()} (its name parts and the exact position of the name). */
public sealed interface TargetedWrite extends TableWrite
    permits CreateTable, CreateView, DropTable, AlterTable, RowWrite {

  /** The table written; never one of the statement's sources. */
  TableReference target();
}
