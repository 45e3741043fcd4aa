package dev.tarn.sql.parser.ddl;

import dev.tarn.sql.command.TarnCommand;

/** A parse tree of one of Tarn's own statements. */
public interface TarnCommandNode {

  /** The statement as an immutable value, for the executor of its family. */
  TarnCommand toCommand();
}
