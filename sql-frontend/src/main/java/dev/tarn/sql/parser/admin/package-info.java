/**
 * Parse trees of the administration statements ({@code SHOW AUDIT}, {@code SHOW HISTORY}, {@code
 * SHOW SESSIONS}, {@code SHOW QUERIES}, {@code KILL QUERY}, {@code KILL SESSION}), built from the
 * grammar rules in {@code src/main/codegen/includes/adminCommands.ftl}.
 */
package dev.tarn.sql.parser.admin;
