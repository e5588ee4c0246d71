"""The child search's column: a child's name and reference as a search matches them (lower
case, spaces collapsed, and the reference again without spaces or hyphens), kept up to date
whenever a child is written, so a search reads one narrow indexed column (migration 0007)."""
from sqlalchemy import event


def search_text(name: str | None, reference: str | None) -> str:
    name, reference = " ".join((name or "").split()), " ".join((reference or "").split())
    bare = reference.replace(" ", "").replace("-", "")
    return f"{name} | {reference} | {bare}".lower()[:400]


def search_text_default(context) -> str:
    """The column's default on insert, for the ORM and for bulk inserts alike."""
    values = context.get_current_parameters()
    return search_text(values.get("name"), values.get("reference"))


def keep_search_text(child_class) -> None:
    """A child renamed (or re-referenced) through the ORM is found by the new name."""
    @event.listens_for(child_class, "before_update")
    def _renamed(mapper, connection, child):
        child.search_text = search_text(child.name, child.reference)
