"""What is wrong with a file, said once per cell or item, so a person can fix it all in one go."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None  # the spreadsheet row, counting the header as row 1
    column: str | None = None  # a column name, or where in a CASE package

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.row and f"Row {self.row}", self.column) if part)
        return f"{where}: {self.message}" if where else self.message


class ImportInvalid(Exception):
    """The file cannot be imported. Nothing was imported; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.row or 0)
        super().__init__("\n".join(str(problem) for problem in self.problems))
