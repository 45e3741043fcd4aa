package dev.tarn.core.session;

/**
 * A session's open transaction: the private branch its statements commit to, the branch COMMIT
 * lands on, that branch's head when the transaction began, and where the session was before.
 */
public record OpenTransaction(String branch, String target, String baseHash, CurrentReference before) {}
