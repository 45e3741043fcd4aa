package dev.tarn.mcp;

/** Who calls a tool: the Tarn user their bearer token proves, and the address they call from. */
record Caller(String user, String clientAddress) {}
