"""A page's address from its URL name and ids, as `django.urls.reverse` makes it, without
matching the pattern again at every call.

A list links each of its rows (a section, a record, a request waiting for review) and the
header links every page: 30 to 60 calls a page. `reverse` checks its pattern at each one,
about 15 µs, a tenth of a learner's page (bench/results.md, 5 December 2026). Here a name's
address is made once by `reverse` with stand-in ids and kept as its parts; each call joins
the parts with the real ids. Anything the parts cannot stand for exactly (an argument that
is not a non-negative whole number, a pattern the stand-ins do not fit, a converter that
writes ids its own way) goes to `reverse` itself, so the answer is always `reverse`'s.
One case it cannot see: a pattern that takes the 12-digit stand-ins but refuses some real
ids (`[1-9][0-9]*` and an id of 0). Give ids `<int:...>` and there is none.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Ids no row will have, each written once in the address if the pattern takes it as given.
_STAND_INS = tuple(str(987_654_321_000 + n) for n in range(1, 7))


def page_url(name: str, *ids) -> str:
    """`reverse(name, args=ids)` for whole-number ids (or none)."""
    if ids and (len(ids) > len(_STAND_INS) or not all(type(i) is int and i >= 0 for i in ids)):
        return reverse(name, args=ids)
    parts = _parts(name, len(ids), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if parts is None:
        return reverse(name, args=ids or None)
    address = parts[0]
    for number, part in zip(ids, parts[1:], strict=True):
        address += f"{number}{part}"
    return address


# The script prefix and URLconf are part of the key: either changes what `reverse` makes.
@lru_cache(maxsize=512)
def _parts(name: str, count: int, prefix: str, urlconf: str) -> tuple[str, ...] | None:
    try:
        made = reverse(name, args=list(_STAND_INS[:count]) or None)
    except NoReverseMatch:
        return None
    parts = []
    for stand_in in _STAND_INS[:count]:
        before, found, made = made.partition(stand_in)
        if not found:
            return None
        parts.append(before)
    parts.append(made)
    # Each stand-in once and in order, or the parts cannot stand for the address.
    if any(stand_in in part for part in parts for stand_in in _STAND_INS):
        return None
    return tuple(parts)
