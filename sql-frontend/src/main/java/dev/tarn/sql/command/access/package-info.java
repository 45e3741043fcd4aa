/**
 * Tarn's access statements (users, roles, tokens, privileges, protected branches), parsed into
 * immutable values. The core decides who may run them and runs them ({@code dev.tarn.core.access}).
 */
package dev.tarn.sql.command.access;
