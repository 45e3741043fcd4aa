package dev.tarn.catalog;

/** Creating a branch or tag whose name is already taken (by a branch or a tag). */
public class ReferenceAlreadyExistsException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final Reference existing;

  public ReferenceAlreadyExistsException(Reference existing) {
    super(
        existing.type().word()
            + " "
            + existing.name()
            + " already exists; choose another name, use IF NOT EXISTS, or drop it first");
    this.existing = existing;
  }

  public Reference existing() {
    return existing;
  }
}
