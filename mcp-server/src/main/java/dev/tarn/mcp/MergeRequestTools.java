package dev.tarn.mcp;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.review.MergeRequest;
import dev.tarn.core.review.MergeRequests;
import dev.tarn.catalog.BranchCatalog;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How an agent asks for its branch to reach a branch it may not write: a merge request, which a
 * person holding MERGE on the target approves or rejects from SQL ({@code APPROVE MERGE REQUEST n}).
 */
final class MergeRequestTools {
  private final MergeRequests requests;

  MergeRequestTools(MergeRequests requests) {
    this.requests = requests;
  }

  QueryTool.Answer propose(String user, String branch, String into, String title, String project) {
    if (branch == null || branch.isBlank()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "propose_merge needs branch: the branch whose changes to merge");
    }
    String target = into == null || into.isBlank() ? BranchCatalog.DEFAULT_BRANCH : into;
    MergeRequest request = requests.propose(user, branch, target, title, Optional.ofNullable(project));
    return new QueryTool.Answer("opened merge request " + request.id() + ": branch " + request.source()
        + " at commit " + CatalogTools.shortHash(request.sourceHash()) + " into " + request.target() + ": "
        + TextTable.cell(request.title()) + request.project().map(p -> " (approval runs project " + p + " first)")
            .orElse("") + "\nA holder of MERGE on " + request.target() + " approves it (APPROVE MERGE REQUEST "
        + request.id() + ") or rejects it; list_merge_requests shows where it stands. New commits on "
        + request.source() + " are not part of it: propose again to include them.\n", 1);
  }

  QueryTool.Answer list(String user) {
    List<MergeRequest> visible = requests.visibleTo(user);
    TextTable table = new TextTable(List.of("id", "state", "source", "commit", "target", "title", "author",
        "decided_by", "merge_commit", "note"));
    for (MergeRequest r : visible) {
      table.add(List.of(r.id(), r.state().name().toLowerCase(Locale.ROOT), r.source(),
          CatalogTools.shortHash(r.sourceHash()), r.target(), r.title(), r.author(), r.decidedBy().orElse(""),
          r.mergeCommit().map(CatalogTools::shortHash).orElse(""), r.note().orElse("")));
    }
    return new QueryTool.Answer(table.rowCount() == 0 ? "no merge requests you may read\n" : table.render(),
        table.rowCount());
  }
}
