package dev.tarn.core.review;

import static dev.tarn.core.arrow.Columns.bigint;
import static dev.tarn.core.arrow.Columns.schema;
import static dev.tarn.core.arrow.Columns.text;
import static dev.tarn.core.arrow.Columns.timestamp;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.lakehouse.CommandResult;
import dev.tarn.core.session.Session;
import dev.tarn.sql.command.ApproveMergeRequest;
import dev.tarn.sql.command.CreateMergeRequest;
import dev.tarn.sql.command.MergeRequestCommand;
import dev.tarn.sql.command.RejectMergeRequest;
import dev.tarn.sql.command.ShowMergeRequests;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.types.pojo.Schema;

/** Runs the merge request statements for a session; each answers with the requests it shows or changed. */
public final class MergeRequestCommands {
  /** One row per request, as SHOW MERGE REQUESTS lists them and the other statements answer. */
  public static final Schema REQUESTS = schema(bigint("id"), text("state"), text("source"), text("source_commit"),
      text("target"), text("title"), text("project"), text("author"), timestamp("created_at"), text("decided_by"),
      timestamp("decided_at"), text("merge_commit"), text("note"));

  private final MergeRequests requests;

  public MergeRequestCommands(MergeRequests requests) {
    this.requests = requests;
  }

  public static Schema resultSchema(MergeRequestCommand command) {
    return REQUESTS;
  }

  public CommandResult execute(MergeRequestCommand command, Session session) {
    String user = session.user();
    if (!(command instanceof ShowMergeRequests) && session.transaction().isPresent()) {
      // a decision or a proposal stands on its own: it is not undone by the transaction's ROLLBACK
      throw new TarnException(Kind.INVALID_ARGUMENT, command.statementName() + " is not allowed inside a"
          + " transaction (it takes effect at once); COMMIT or ROLLBACK first");
    }
    List<MergeRequest> shown;
    if (command instanceof CreateMergeRequest create) {
      shown = List.of(requests.propose(user, create.source(), create.target(), create.title().orElse(null),
          create.project()));
    } else if (command instanceof ApproveMergeRequest approve) {
      shown = List.of(requests.approve(user, approve.id()));
    } else if (command instanceof RejectMergeRequest reject) {
      shown = List.of(requests.reject(user, reject.id(), reject.reason()));
    } else {
      shown = requests.visibleTo(user);
    }
    return new CommandResult(REQUESTS, shown.stream().map(MergeRequestCommands::row).toList());
  }

  private static Object[] row(MergeRequest r) {
    return new Object[] {r.id(), r.state().name().toLowerCase(Locale.ROOT), r.source(), r.sourceHash(), r.target(),
        r.title(), r.project().orElse(null), r.author(), r.createdAt(), r.decidedBy().orElse(null),
        r.decidedAt().orElse(null), r.mergeCommit().orElse(null), r.note().orElse(null)};
  }
}
