package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Optional;

/**
 * What a DDL or DML statement does to the lakehouse: which schema or table it creates, drops, alters
 * or writes rows into. Spans are character offsets into the statement's original text, so the server
 * can cut, replace or strip exactly the parts it handles itself.
 *
 * <ul>
 *   <li>schemas: {@link CreateSchema}, {@link DropSchema}
 *   <li>tables ({@link TargetedWrite}): {@link CreateTable}, {@link DropTable}, {@link AlterTable}
 *   <li>rows ({@link RowWrite}): {@link InsertInto}, {@link UpdateTable}, {@link DeleteFrom},
 *       {@link MergeInto}, {@link CopyFrom}
 * </ul>
 */
public sealed interface TableWrite permits CreateSchema, DropSchema, TargetedWrite {

  /** The table the statement writes, for every write but the schema statements. */
  default Optional<TableReference> targetTable() {
    return this instanceof TargetedWrite targeted ? Optional.of(targeted.target()) : Optional.empty();
  }
}
