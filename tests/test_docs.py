"""The README is the front door: every command and every option `icap --help` offers is documented there."""

from __future__ import annotations

import re

from conftest import ROOT


def commands():
    """(command path, its long options) for every command of `icap`."""
    from typer.main import get_command

    from icap_coder.cli import app

    found = []

    def walk(command, path):
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, [*path, name])
            return
        options = [opt for param in command.params for opt in param.opts if opt.startswith("--") and opt != "--help"]
        found.append((" ".join(path), options))

    walk(get_command(app), ["icap"])
    return found


def test_every_command_and_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = commands()
    assert len(listed) >= 13 and ("icap code", listed[0][1]) in listed
    missing = []
    for command, options in listed:
        if not re.search(rf"(^|`){re.escape(command)}[ `\n]", readme, re.MULTILINE):
            missing.append(command)
        missing.extend(f"{command} {option}" for option in options
                       if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", readme))
    assert missing == [], "document these in README.md: " + ", ".join(missing)
