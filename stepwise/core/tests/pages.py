"""Every page of the service, as a path with made-up values for its parameters, for the tests
that visit them all."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_VALUES = {"int": "999999", "str": "no-such-thing", "slug": "no-such-thing", "path": "x"}


def page_paths(resolver: URLResolver, prefix: str = "") -> list[str]:
    """A path for every URL pattern, with made-up values for its parameters."""
    paths = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            paths.extend(page_paths(entry, route))
        elif isinstance(entry, URLPattern):
            path = re.sub(
                r"<(?:(\w+):)?\w+>",
                lambda match: SAMPLE_VALUES.get(match.group(1) or "str", "x"),
                route,
            )
            if "^" not in path and "(?P" not in path:
                paths.append("/" + path)
    return sorted(set(paths))


def our_pages() -> list[str]:
    return [path for path in page_paths(get_resolver()) if not path.startswith("/platform-admin/")]
