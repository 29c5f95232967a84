"""Every URL pattern in the URLconf, found by walking the resolver, and a path for each with
the world's values for its parameters."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.rows import ROWS
from tests.security.world import PERSONAS

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Entry:
    key: str  # "namespace:name", or "namespace:route" for a pattern without a name
    name: str | None
    route: str
    parameters: tuple[str, ...]
    callback: object


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            key = name or (f"{namespace}:{route}" if namespace else route)
            parameters = tuple(a or b for a, b in PARAMETER.findall(route))
            yield Entry(key, name, route, parameters, pattern.callback)


def every_url() -> list[Entry]:
    return list(_walk(get_resolver()))


def values_for(entry: Entry, world, row) -> dict:
    """The world's value for each of the URL's parameters, or the row's choice of another; an
    admin change page gets its model's first object."""
    values = dict(world.values)
    for parameter, name in (row.values if row else {}).items():
        values[parameter] = world.values[name]
    model_admin = getattr(entry.callback, "model_admin", None)
    if model_admin is not None and "object_id" in entry.parameters:
        first = model_admin.model._default_manager.order_by("pk").first()
        values["object_id"] = first.pk if first else 0
    return values


def path_for(entry: Entry, values: dict) -> str:
    if entry.name:
        return reverse(entry.name, kwargs={p: values[p] for p in entry.parameters})
    # Unnamed (the admin's own redirects and catch-all): put the values into the route.
    path = PARAMETER.sub(lambda m: str(values[m.group(1) or m.group(2)]), entry.route)
    return "/" + path.replace("^", "").replace("$", "")


def viewer(entry: Entry) -> str:
    """Someone the URL shows a real page to, if anyone: the first 200 in its row."""
    row = ROWS.get(entry.key)
    if row is None:
        return "anonymous"  # the matrix test names the missing row
    cells = row.expected("get")
    return PERSONAS[cells.index("200")] if "200" in cells else "anonymous"
