"""Stage 7, cli: the `icap` command, the only code that knows about the terminal.

Takes what a person typed; gives results on stdout, messages on stderr, and
exit code 0, or 2 with one line for bad input. One module per command family,
each a thin layer over library calls of the stages before it: parse, call, print. `_common.py` holds the `app`,
the options several commands share, clean one-line failures and output helpers;
`render.py` builds the rich tables shown on screen.

    code.py       icap code, icap init
    analysis.py   icap summary, compare, cooccur
    agreement.py  icap agree
    exchange.py   icap qdpx export | import, icap codebook export | import (REFI-QDA)
    codebook.py   icap codebook validate | show | evaluate | inductive
    manual.py     icap tag, untag, reject, review
    search.py     icap search (by meaning, with the optional model)
    render.py     rich tables for the screen
"""

from __future__ import annotations

from typing import Annotated

import typer
from typer.models import CommandInfo

from icap_coder import __version__
from icap_coder.cli import agreement, analysis, code, codebook, exchange, manual, search  # noqa: F401  (each registers its commands on `app`)
from icap_coder.cli._common import app, out

HELP_ORDER = ["code", "init", "summary", "compare", "cooccur", "agree",  # then the command groups
              "tag", "untag", "reject", "review", "search"]


def _help_position(command: CommandInfo) -> int:
    name = command.name or getattr(command.callback, "__name__", "")
    return HELP_ORDER.index(str(name))


app.registered_commands.sort(key=_help_position)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"icap {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: Annotated[bool, typer.Option(
        "--version", callback=version_callback, is_eager=True, help="Show the version and exit.")] = False) -> None:
    pass


def main() -> None:
    app()


if __name__ == "__main__":
    main()
