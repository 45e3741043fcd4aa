/** The Model Context Protocol door: agents reach Tarn's references, tables and queries as a user. */
package dev.tarn.mcp;
