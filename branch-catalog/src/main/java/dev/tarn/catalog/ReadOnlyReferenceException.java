package dev.tarn.catalog;

/** A write was aimed at a tag, a commit, or a past state of a branch. */
public class ReadOnlyReferenceException extends CatalogException {
  private static final long serialVersionUID = 1L;

  public ReadOnlyReferenceException(ResolvedReference at) {
    super(message(at));
  }

  public ReadOnlyReferenceException(String message) {
    super(message);
  }

  private static String message(ResolvedReference at) {
    if (at.type() == ReferenceType.TAG) {
      return "tag " + at.name() + " is read-only; create a branch from it";
    }
    if (at.name() == null) {
      return at.describe() + " is read-only; create a branch from it";
    }
    return at.describe()
        + " is a past state and read-only; write to the branch head, or create a branch from"
        + " that commit";
  }
}
