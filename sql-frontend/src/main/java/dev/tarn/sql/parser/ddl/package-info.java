/**
 * Parse trees of Tarn's own statements: one node class per statement, built by {@link
 * dev.tarn.sql.parser.ddl.TarnSqlNodes} from the grammar rules in {@code src/main/codegen/includes},
 * each converting to an immutable {@link dev.tarn.sql.command.TarnCommand} and unparsing to SQL that
 * parses back to an equal command.
 */
package dev.tarn.sql.parser.ddl;
