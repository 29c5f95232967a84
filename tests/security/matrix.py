"""The authorization matrix's rows (rows.py) and how a row is read."""

from dataclasses import dataclass, field

from tests.security.world import PERSONAS

OUTCOMES = {"200", "in", "302", "400", "403", "404", "405"}


@dataclass(frozen=True)
class Row:
    """What each person gets from one URL: `get` and `post` are nine outcomes, one per
    persona in world.PERSONAS' order, or one outcome for all nine. An outcome is a status code
    (200, 302, 400, 403, 404, 405) or `in`, a redirect to sign in. `values` names the world's
    value to use for a parameter when the default one is not the right kind of thing."""

    key: str
    get: str
    post: str
    values: dict = field(default_factory=dict)
    query: str = ""

    def expected(self, method: str) -> list[str]:
        cells = getattr(self, method).split()
        if len(cells) == 1:
            cells = cells * len(PERSONAS)
        if len(cells) != len(PERSONAS) or not set(cells) <= OUTCOMES:
            raise ValueError(f"{self.key} {method}: nine of {sorted(OUTCOMES)}, or one for all")
        return cells


def admin(key: str, get: str, post: str) -> Row:
    """A URL of the platform administration: only the platform admin gets past its sign-in
    (`get` and `post` are theirs); everyone else is sent to sign in (signed in, that page
    refuses them)."""
    index = PERSONAS.index("platform_admin")

    def cells(outcome):
        return " ".join(outcome if i == index else "in" for i in range(len(PERSONAS)))

    return Row(key, cells(get), cells(post))


def table(rows: list[Row]) -> dict[str, Row]:
    by_key = {}
    for row in rows:
        if row.key in by_key:
            raise ValueError(f"Two rows for {row.key}")
        by_key[row.key] = row
    return by_key


def format_row(key: str, get: list[str], post: list[str]) -> str:
    index = PERSONAS.index("platform_admin")
    others = {cell for i, cell in enumerate(get + post) if i % len(PERSONAS) != index}
    if key.startswith("admin:") and others == {"in"}:
        return f'    admin("{key}", "{get[index]}", "{post[index]}"),'

    def cells(values):
        return values[0] if len(set(values)) == 1 else " ".join(values)

    return f'    Row("{key}", "{cells(get)}", "{cells(post)}"),'
