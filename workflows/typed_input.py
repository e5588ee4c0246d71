"""What typed input may hold, decided once for every way in: task forms, the child form,
query parameters and the command line.

Control characters are refused, not stripped: a vertical tab in a name broke every XLSX
tracker, and a NUL is refused by PostgreSQL mid-transaction. Tab, line feed and carriage
return are ordinary in multi-line text (text areas, JSON on the command line) and nowhere
else. A lone surrogate (half a character) cannot be stored as UTF-8 and is refused too.

Dates people type have sane bounds: from 1990 (no child in care today was looked after
earlier) to two years ahead, unless a field says otherwise (a carer's date of birth), and a
case date is not before the child's date of birth.
"""
import re
from datetime import date

_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
_IN_MULTILINE = re.compile(f"[{_ALWAYS}]")
_IN_ONE_LINE = re.compile(f"[{_ALWAYS}\t\n\r]")
_NAMES = {"\x00": "a null character", "\x0b": "a vertical tab", "\x0c": "a form feed",
          "\t": "a tab", "\n": "a line break", "\r": "a line break", "\x7f": "a delete character",
          "\u2028": "a line separator", "\u2029": "a paragraph separator"}

EARLIEST = date(1990, 1, 1)
YEARS_AHEAD = 2


def control_character(text: str, multiline: bool = False) -> str | None:
    """The first character `text` may not hold, in words, or None if it is clean."""
    found = (_IN_MULTILINE if multiline else _IN_ONE_LINE).search(text)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return "a broken character (half of a character pair)"
    return _NAMES.get(char, f"a control character (U+{ord(char):04X})")


def control_message(subject: str, text: str, multiline: bool = False) -> str | None:
    """'<subject> must not contain a vertical tab', or None if the text is clean."""
    found = control_character(text, multiline)
    return None if found is None else f"{subject} must not contain {found}"


def printable_text(text: str) -> str:
    """Text as a spreadsheet or other strict format can hold it: each control character
    (a tab and a line break excepted) shown as a visible mark instead, for values stored
    before they were refused."""
    return _IN_MULTILINE.sub("\ufffd", text)


def latest(today: date) -> date:
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_message(subject: str, value: date, today: date, earliest: date | None = None,
                 born: date | None = None) -> str | None:
    """Why a typed date is out of bounds, or None. `earliest` replaces 1990 for a field that
    says so (and then the child's date of birth does not apply either)."""
    if earliest is None and born is not None and value < born:
        return f"{subject} must be on or after the child's date of birth ({_long(born)})"
    floor = earliest or EARLIEST
    if value < floor:
        return f"{subject} must be on or after {_long(floor)}"
    if value > latest(today):
        return f"{subject} must be no later than {_long(latest(today))}"
    return None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
