package dev.tarn.sql.write;

import java.util.Objects;
import java.util.Optional;

/** One action of {@code ALTER TABLE}. */
public sealed interface AlterAction {

  /**
   * {@code ADD [COLUMN] [IF NOT EXISTS] name type [constraints]}.
   *
   * @param typeText the type as written ({@code DECIMAL(10, 2)}, {@code VARCHAR[]}, {@code STRUCT(a INTEGER)})
   * @param constraintsText what follows the type ({@code DEFAULT 0}, {@code NOT NULL}, ...), as written
   */
  record AddColumn(String name, String typeText, boolean ifNotExists, Optional<String> constraintsText)
      implements AlterAction {
    public AddColumn {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(typeText, "typeText");
      Objects.requireNonNull(constraintsText, "constraintsText");
    }

    public AddColumn(String name, String typeText, boolean ifNotExists) {
      this(name, typeText, ifNotExists, Optional.empty());
    }
  }

  /** {@code DROP [COLUMN] [IF EXISTS] name [CASCADE | RESTRICT]}. */
  record DropColumn(String name, boolean ifExists) implements AlterAction {
    public DropColumn {
      Objects.requireNonNull(name, "name");
    }
  }

  /** {@code RENAME [COLUMN] from TO to}. */
  record RenameColumn(String from, String to) implements AlterAction {
    public RenameColumn {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** {@code RENAME TO newName}, an unqualified name. */
  record RenameTable(String newName) implements AlterAction {
    public RenameTable {
      Objects.requireNonNull(newName, "newName");
    }
  }

  /**
   * Any other action DuckDB knows ({@code ALTER [COLUMN] c TYPE t}, {@code ALTER c SET DEFAULT ...},
   * {@code ADD PRIMARY KEY (...)}, {@code DROP CONSTRAINT ...}, ...): the server decides whether it
   * can carry it out, and otherwise rejects the statement naming this text.
   *
   * @param text the action as written
   * @param span its span in the statement
   */
  record Other(String text, SqlSpan span) implements AlterAction {
    public Other {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(span, "span");
    }
  }
}
