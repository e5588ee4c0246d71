"""engine.kept: the one bounded keep the diagram versions, parsed drafts, inbox rows and
panel alerts share: the least recently used goes first, and an empty value is a value."""
import threading

from engine.kept import Kept


def test_the_least_recently_used_goes_first_and_an_empty_value_is_kept():
    kept = Kept(2)
    kept.put("a", 1)
    kept.put("b", ())
    assert kept.get("a") == 1          # a is now the most recently used
    kept.put("c", 3)
    assert kept.get("b") is None and kept.get("a") == 1 and kept.get("c") == 3 and len(kept) == 2
    made = []
    assert kept.get_or_make("d", lambda: made.append("d") or ()) == () and made == ["d"]
    assert kept.get_or_make("d", lambda: made.append("again") or ()) == () and made == ["d"]
    kept.clear()
    assert len(kept) == 0


def test_many_threads_never_keep_more_than_the_size():
    kept = Kept(50)

    def fill(start):
        for n in range(start, start + 2_000):
            kept.get_or_make(n % 300, lambda n=n: n % 300)
    threads = [threading.Thread(target=fill, args=(n * 7,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kept) <= 50
    assert all(kept.get(key) in (None, key) for key in range(300))
