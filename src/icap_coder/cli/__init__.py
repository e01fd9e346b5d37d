"""Stage 7, cli: the `icap` command, the only code that knows about the terminal.

One module per command family, each a thin layer over library calls of the
stages before it: parse options, call, print. `_common.py` holds the `app`,
the options several commands share, clean one-line failures and output helpers;
`render.py` builds the rich tables shown on screen.

    code.py       icap code, icap init
    analysis.py   icap summary, compare, cooccur
    codebook.py   icap codebook validate | show | evaluate | inductive
    manual.py     icap tag, untag, reject, review
"""

from __future__ import annotations

from typing import Annotated

import typer

from icap_coder import __version__
from icap_coder.cli import code  # noqa: F401, I001  (registered first: the main job heads `icap --help`)
from icap_coder.cli import analysis, codebook, manual  # noqa: F401  (each registers its commands on `app`)
from icap_coder.cli._common import app, out


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
