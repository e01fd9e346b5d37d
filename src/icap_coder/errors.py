"""One exception type for bad input, so the CLI can turn it into a one-line message and exit 2."""

from __future__ import annotations


class IcapError(Exception):
    """Bad input the user can fix: says where (file, line) and what to do."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + self.message


class CodebookError(IcapError):
    """A codebook that cannot be used; may carry several problems, one per line."""

    def __init__(self, problems: list[IcapError]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
