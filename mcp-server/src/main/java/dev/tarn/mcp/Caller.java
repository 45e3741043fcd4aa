package dev.tarn.mcp;

/**
 * Who calls a tool: the Tarn user their credentials prove, the address they call from, and which
 * credential it was (a fingerprint, never the secret), whose budget the call draws on.
 */
record Caller(String user, String clientAddress, String credential) {}
