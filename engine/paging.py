"""Lists shown a page at a time (the inbox's sections and lists): how many a page, and which
page a request gets once the list's count is known (one past the last shows the last)."""

PER_PAGE = 25


def page_within(total: int, asked: int) -> tuple[int, int]:
    """(the page to show, how many pages) for a list of `total` when page `asked` is asked for."""
    pages = max(1, -(-total // PER_PAGE))
    return min(max(asked, 1), pages), pages
