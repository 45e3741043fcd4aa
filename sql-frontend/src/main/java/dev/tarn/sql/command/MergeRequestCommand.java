package dev.tarn.sql.command;

/**
 * Merge requests: a branch's changes proposed for a target, approved or rejected by a holder of
 * MERGE on the target ({@code CREATE MERGE REQUEST}, {@code SHOW MERGE REQUESTS}, {@code APPROVE
 * MERGE REQUEST n}, {@code REJECT MERGE REQUEST n}).
 */
public sealed interface MergeRequestCommand extends TarnCommand
    permits CreateMergeRequest, ShowMergeRequests, ApproveMergeRequest, RejectMergeRequest {}
