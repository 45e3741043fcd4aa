/**
 * Tarn's administration statements as immutable values: audit records and query history ({@code
 * SHOW AUDIT}, {@code SHOW HISTORY}), sessions and running statements ({@code SHOW SESSIONS},
 * {@code SHOW QUERIES}, {@code KILL QUERY}, {@code KILL SESSION}). The core answers them.
 */
package dev.tarn.sql.command.admin;
