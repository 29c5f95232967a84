"""Reading JSON that people give us (a pasted credential, an uploaded passport), with a limit on
how deeply it nests.

Python's JSON parser recurses once per level, so a few kilobytes of `[[[[...` are a
RecursionError rather than a ValueError; and JSON that does parse but nests hundreds of levels
deep breaks whatever walks or stores it next. Nothing we read nests more than a handful of
levels, so anything deeper than `MAX_DEPTH` is refused before any other code sees it.
"""

import json

MAX_DEPTH = 32


class NestedTooDeeply(ValueError):
    """The JSON nests more deeply than it may. A ValueError, like any other unreadable JSON."""


def load_json(text: str | bytes, *, max_depth: int = MAX_DEPTH):
    """`json.loads`, raising NestedTooDeeply for JSON deeper than `max_depth` levels of arrays
    and objects (and ValueError, as json.loads does, for anything else wrong)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise NestedTooDeeply(f"JSON nested more than {max_depth} levels deep") from None
    if _deeper_than(value, max_depth):
        raise NestedTooDeeply(f"JSON nested more than {max_depth} levels deep")
    return value


def _deeper_than(value, max_depth: int) -> bool:
    # Walked with a list rather than by recursion, which is what this guards against.
    waiting = [(value, 1)]
    while waiting:
        item, depth = waiting.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        waiting.extend((child, depth + 1) for child in children)
    return False
