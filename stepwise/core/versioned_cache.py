"""Things that never change under their key, kept across requests (ADR 16).

A key names everything its value is made from: the release's code (a digest of Stepwise's
templates and Python source, of the NHS.UK macros and of Django's version, so a deploy starts
afresh) and the caller's parts, such as a published framework version's id and state. A value
under a key is never replaced, so nothing can be stale: a change makes a new key. Values are
looked up first in a small table of this process's own (a dict lookup), then in Django's cache
(shared by the server's processes), and made only when neither has them.

A caller passes `None` as a part for something that must not be kept (a draft that is still
being edited): the value is then made each time.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import django
import nhsuk_frontend_jinja
from django.core.cache import cache as django_cache
from markupsafe import Markup

PREFIX = "stepwise:kept"
# A day: values never go stale, this only lets keys of past releases leave a shared cache.
TIMEOUT = 24 * 60 * 60
LOCAL_SIZE = 512

_local: OrderedDict[str, Any] = OrderedDict()
_lock = threading.Lock()


@cache
def code_version() -> str:
    """A digest of the code that makes kept values: Stepwise's templates and Python files,
    the NHS.UK macros, and Django's version (some values are model instances, which Django
    pickles for its own version only). Read once per process."""
    digest = hashlib.sha256(f"Django {django.__version__}".encode())
    for root, patterns in (
        (Path(__file__).resolve().parent.parent, ("*.py", "*.jinja")),
        (Path(nhsuk_frontend_jinja.__file__).parent, ("*.jinja",)),
    ):
        paths = sorted(path for pattern in patterns for path in root.rglob(pattern))
        for path in paths:
            if "tests" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key_for(*parts) -> str | None:
    """The cache key for these parts, or None if any part is None (not to be kept)."""
    if any(part is None for part in parts):
        return None
    return ":".join([PREFIX, code_version(), *(str(part) for part in parts)])


def kept(parts: tuple, make: Callable[[], Any]) -> Any:
    """The value kept under `parts`, made by `make()` (and kept) the first time."""
    key = key_for(*parts)
    if key is None:
        return make()
    with _lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]
    value = django_cache.get(key)
    if value is None:
        value = make()
        django_cache.set(key, value, TIMEOUT)
    with _lock:
        _local[key] = value
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)
    return value


def forget_local() -> None:
    """Empty this process's table (for tests that clear the shared cache too)."""
    with _lock:
        _local.clear()


def kept_markup(*parts, caller) -> Markup:
    """For templates: `{% call kept_markup("name", key...) %}markup{% endcall %}` renders
    the block once per key and stamps the kept copy afterwards."""
    # The block's output is the template's own, escaped as it rendered; kept as a str.
    return Markup(kept(("markup", *parts), lambda: str(caller())))  # noqa: S704
