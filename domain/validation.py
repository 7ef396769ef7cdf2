"""Field rules shared by the event constructors, the importer, the forms and stored entries.

Each rule is declared once (``number(0, 10)``) and used two ways: called, it parses a raw value
(from a form or a JSON line) into the normalised value, or raises ``InvalidEntry`` naming the
field in words a person understands; its ``stored`` type says what a normalised value is, as a
``msgspec`` type with the same bounds and choices, which the codec (``domain.codec``) checks in C
on every entry it reads from a file.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from enum import StrEnum
from functools import partial
from operator import is_not
from typing import Annotated, Any, Literal, TypeVar, Union

from msgspec import Meta

from domain.errors import InvalidEntry

E = TypeVar("E", bound=StrEnum)
Parse = Callable[[Any, str, str], Any]  # (value, field name, label) -> normalised value
# The texts among many stored values of one field (``Rule.texts``).
Texts = Callable[[Iterable[Any]], Iterable[str]]


class Rule:
    """One field's rule: call it to parse input; ``stored`` is the type of what it returns.

    ``texts``, for a field that holds text, picks the texts out of many stored values of the
    field: what makes them stored text (``stored_texts_hold``) is checked over a whole batch at
    once, not by the stored type (msgspec checks a pattern by calling Python's ``re`` on each
    value, ~1 µs a text: a fifth of decoding a 10-year log)."""

    def __init__(self, parse: Parse, stored: Any, texts: Texts | None = None) -> None:
        self.parse = parse
        self.stored = stored
        self.texts = texts

    def __call__(self, value: Any, field: str, label: str) -> Any:
        return self.parse(value, field, label)


#: Of many values, those that are not None (in C: no Python step per value).
present: Texts = partial(filter, partial(is_not, None))


def stored_texts_hold(texts: Iterable[str]) -> bool:
    """Whether each of TEXTS is what ``text()`` returns (stored text): not empty, stripped (no
    whitespace at either end, as ``str.strip`` sees it) and without NUL characters. Three C
    passes over the lot, however many there are (``EntryEvent.check_stored_texts``)."""
    texts = list(texts)
    return "" not in texts and list(map(str.strip, texts)) == texts and "\x00" not in "".join(texts)


Parser = Rule


def optional_type(stored: Any, optional: bool) -> Any:
    return Union[stored, None] if optional else stored  # noqa: UP007 - a runtime type object


def number_type(lo: float, hi: float, *, whole: bool, lo_open: bool) -> Any:
    bounds = Meta(gt=lo, le=hi) if lo_open else Meta(ge=lo, le=hi)
    # A whole float is normalised to an int, so a stored float may still be whole-valued only
    # when written by an earlier version; both are numbers within the bounds.
    if whole:
        return Annotated[int, bounds]
    return Union[Annotated[int, bounds], Annotated[float, bounds]]  # noqa: UP007

NOON = time(12, 0)


def _fail(field: str, message: str) -> InvalidEntry:
    return InvalidEntry(message, field=field)


def shown(value: Any) -> str:
    """VALUE as a message shows it: a long one (a 4,000-digit number, a pasted page) cut short."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 30:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(lo: float, hi: float, *, whole: bool = False, optional: bool = False,
           lo_open: bool = False) -> Rule:
    def parse(value: Any, field: str, label: str) -> Any:
        if value is None:
            if optional:
                return None
            raise _fail(field, f"{label} is required")
        if not _is_number(value) or math.isnan(value) or math.isinf(value):
            raise _fail(field, f"{label} must be a number, got {shown(value)}")
        if whole and isinstance(value, float) and not value.is_integer():
            raise _fail(field, f"{label} must be a whole number, got {shown(value)}")
        # Check the range before turning 1e300 into a 301-digit int for the message.
        too_low = value <= lo if lo_open else value < lo
        if too_low or value > hi:
            if lo_open:
                raise _fail(field, f"{label} must be more than {_fmt(lo)} and at most {_fmt(hi)}, got {shown(value)}")
            raise _fail(field, f"{label} must be {_fmt(lo)}–{_fmt(hi)}, got {shown(value)}")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return value

    return Rule(parse, optional_type(number_type(lo, hi, whole=whole, lo_open=lo_open), optional))


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def choice(enum: type[E], *, optional: bool = False, exclude: Iterable[str] = ()) -> Rule:
    excluded = frozenset(exclude)
    allowed = [m.value for m in enum if m.value not in excluded]
    allowed_set = frozenset(allowed)

    def parse(value: Any, field: str, label: str) -> Any:
        if value is None:
            if optional:
                return None
            raise _fail(field, f"{label} is required (one of {', '.join(allowed)})")
        if not isinstance(value, str) or value not in allowed_set:
            raise _fail(field, f"{label} must be one of {', '.join(allowed)}, got {shown(value)}")
        return str(value)

    return Rule(parse, optional_type(Literal[tuple(allowed)], optional))


def text(*, optional: bool = False, max_len: int = 10_000) -> Rule:
    def parse(value: Any, field: str, label: str) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            if optional:
                return None
            raise _fail(field, f"{label} must not be empty")
        if not isinstance(value, str):
            raise _fail(field, f"{label} must be text, got {shown(value)}")
        if len(value) > max_len:
            raise _fail(field, f"{label} is too long ({len(value)} characters, at most {max_len})")
        if "\x00" in value:
            raise _fail(field, f"{label} contains a NUL character")
        if not _is_utf8(value):
            # A JSON line can spell a lone surrogate ("\\ud800"); it cannot be stored as UTF-8.
            raise _fail(field, f"{label} contains an invalid character (a lone UTF-16 surrogate)")
        return value.strip()

    return Rule(parse, optional_type(Annotated[str, Meta(max_length=max_len)], optional), texts=present)


def _is_utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def entry_id(*, optional: bool = False) -> Rule:
    def parse(value: Any, field: str, label: str) -> Any:
        if value is None:
            if optional:
                return None
            raise _fail(field, f"{label} is required")
        if isinstance(value, uuid.UUID):
            return value
        try:
            return uuid.UUID(str(value))
        except ValueError:
            raise _fail(field, f"{label} must be an entry id (a UUID), got {shown(value)}") from None

    return Rule(parse, optional_type(uuid.UUID, optional))


def _calendar_date(value: Any, field: str, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise _fail(field, f"{label} must be a date like 2026-03-01, got {shown(value)}")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise _fail(field, f"{label} must be a date like 2026-03-01, got {shown(value)}") from None


calendar_date = Rule(_calendar_date, date)


def observed_time(value: Any, field: str = "observed_at", label: str = "observed at") -> datetime:
    """A local wall-clock time; a bare date means noon of that date."""
    if value is None:
        raise _fail(field, f"{label} is required (a date or date-time)")
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, NOON)
    elif isinstance(value, str):
        raw = value.strip()
        try:
            if len(raw) == 10:
                result = datetime.combine(date.fromisoformat(raw), NOON)
            else:
                result = datetime.fromisoformat(raw)
        except ValueError:
            raise _fail(field, f"{label} must be a date or date-time like 2026-03-01T08:30, "
                               f"got {shown(value)}") from None
    else:
        raise _fail(field, f"{label} must be a date or date-time like 2026-03-01T08:30, got {shown(value)}")
    _check_year(result, value, field, label)
    if result.tzinfo is not None:
        result = result.astimezone().replace(tzinfo=None)
    return result.replace(microsecond=0) if result.microsecond else result


def _iso_datetime(value: Any, field: str, label: str) -> datetime:
    try:
        return datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise _fail(field, f"{label} must be a date-time like 2026-03-01T08:30:00+00:00, "
                           f"got {shown(value)}") from None


def _check_year(result: datetime, value: Any, field: str, label: str) -> None:
    # Checked before any time-zone conversion: converting year 1 or 9999 can overflow.
    if not YEARS[0] <= result.year <= YEARS[1]:
        raise _fail(field, f"{label} must be between 1900 and 2200, got {shown(value)}")


def recorded_time(value: Any, field: str = "recorded_at", label: str = "recorded at") -> datetime:
    """An instant, stored timezone-aware in UTC; a naive value is read as local time."""
    result = value if isinstance(value, datetime) else _iso_datetime(value, field, label)
    _check_year(result, value, field, label)
    # A naive value is taken as local time by ``astimezone`` itself (one conversion, not two).
    return result.astimezone(UTC)


# The stored forms of the times every entry has (``observed_time`` and ``recorded_time`` give).
STORED_OBSERVED = Annotated[datetime, Meta(tz=False)]
STORED_RECORDED = Annotated[datetime, Meta(tz=True)]
YEARS = (1900, 2200)


def now_utc() -> datetime:
    return datetime.now(UTC)
