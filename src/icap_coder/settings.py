"""The settings of a run, and the project file `icap.yaml` they may come from.

Read once per command and passed down: every command that codes transcripts
(`code`, `summary`, `compare`, `cooccur`, `review`, `codebook inductive`)
builds its `Settings` through `Project.settings`, so `icap summary transcripts/`
counts exactly what `icap code transcripts/` writes.

`icap.yaml` is looked for in the working folder, then in each transcripts
folder and its parent. Paths in it are relative to the file. Flags on the
command line win over it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from icap_coder import yamlfile
from icap_coder.errors import IcapError

UNITS = ("turn", "paragraph", "sentence")
LANGUAGES = {"nl": "Dutch", "en": "English", "sv": "Swedish"}  # a spaCy tokenizer and lemma table exist for each
LANGUAGE_NAMES = {"dutch": "nl", "nederlands": "nl", "english": "en", "engels": "en", "swedish": "sv",
                  "svenska": "sv", "zweeds": "sv", "nld": "nl", "eng": "en", "swe": "sv"}

PROJECT_FILES = ("icap.yaml", "icap.yml")
KEYS = {"codebook": "path", "unit": "text", "interviewers": "list", "cases": "path", "out": "path",
        "lang": "text", "code_interviewer": "bool", "jobs": "int", "min_score": "float",
        "report_lang": "text", "paper": "text", "semantic": "bool", "semantic_min_z": "float",
        "executor": "text", "scheduler": "text", "scheduler_file": "path"}
EXECUTORS = ("process", "dask")
CHOICES = {"unit": UNITS, "report_lang": tuple(LANGUAGES), "paper": ("a4", "letter"), "executor": EXECUTORS}
LETTER_COUNTRIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PR"}  # where Letter is the usual paper
SETTINGS = {"unit": "unit", "lang": "lang", "interviewers": "interviewers", "code_interviewer": "code_interviewer",
            "cases_file": "cases", "min_score": "min_score", "jobs": "jobs", "semantic": "semantic",
            "semantic_min_z": "semantic_min_z", "executor": "executor", "scheduler": "scheduler",
            "scheduler_file": "scheduler_file"}  # Settings field -> project key


@dataclass
class Settings:
    """How transcripts are segmented and coded; recorded in the manifest as the run's options."""

    unit: str = "turn"
    lang: str | None = None
    interviewers: tuple[str, ...] = ()
    code_interviewer: bool = False
    cases_file: Path | None = None
    tags_file: Path | None = None  # default: tags.yaml in the transcripts folder
    min_score: float = 1.0
    jobs: int = 0  # 0: one worker per core
    manual: bool = True  # merge a person's codings (markers, tags file); False: the rules' codings alone
    semantic: bool = False  # suggest codes by meaning where the keywords coded nothing (the optional model)
    semantic_min_z: float = 1.0  # how far above a code's mean similarity a segment must stand to be suggested
    executor: str = "process"  # process: a pool on this machine; dask: a Dask cluster (the optional extra)
    scheduler: str | None = None  # a Dask scheduler's address (tcp://HOST:8786); none: a local cluster
    scheduler_file: Path | None = None  # or the file `dask scheduler --scheduler-file` writes


def normalise_language(value: str) -> str:
    """`Dutch`, `nederlands`, `NL` -> `nl`; unknown values are returned lower-cased for the error message."""
    value = value.strip().lower()
    return LANGUAGE_NAMES.get(value, value)


@dataclass
class Project:
    file: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def settings(self, **flags: Any) -> Settings:
        """The run's Settings: a flag given on the command line, else this file's value, else the default."""
        defaults = Settings()
        values = {}
        for name, key in SETTINGS.items():
            flag = flags.pop(name, None)
            given = flag is not None and flag is not False and flag != [] and flag != ()
            values[name] = flag if given else self.get(key, getattr(defaults, name))
        values["interviewers"] = tuple(values["interviewers"])
        return Settings(**values, **flags)


def find_project(paths: list[Path], explicit: Path | None = None) -> Project:
    if explicit is not None:
        if not explicit.is_file():
            raise IcapError("project file not found; check --project", file=str(explicit))
        return load_project(explicit)
    places = [Path.cwd()]
    for path in paths:
        folder = path if path.is_dir() else path.parent
        places.extend([folder, folder.parent])
    for place in places:
        for name in PROJECT_FILES:
            if (place / name).is_file():
                return load_project(place / name)
    return Project()


def load_project(path: Path) -> Project:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise IcapError(f"cannot read project file ({exc})", file=file) from None
    root = yamlfile.compose(text, file)
    if root is None:
        return Project(path, {})
    if not isinstance(root, yaml.MappingNode):
        raise IcapError("project file must be `key: value` lines", file=file, line=1)
    values = {}
    for key_node, value_node in root.value:
        key, line = key_node.value, key_node.start_mark.line + 1
        if key not in KEYS:
            raise IcapError(f"unknown key '{key}'; allowed: {', '.join(KEYS)}", file=file, line=line)
        value = yamlfile.to_python(value_node, file)
        if value is None or value == "" or value == []:
            continue  # `lang:` with nothing after it: not set, the default applies
        values[key] = _convert(value, KEYS[key], path.parent, key, file, line)
        if key in CHOICES:
            values[key] = values[key].lower()
        if key in CHOICES and values[key] not in CHOICES[key]:
            raise IcapError(f"{key} '{values[key]}' is not one of {', '.join(CHOICES[key])}", file=file, line=line)
    return Project(path, values)


def _convert(value: Any, kind: str, base: Path, key: str, file: str, line: int) -> Any:
    try:
        if kind == "path":
            return (base / str(value)).resolve() if value else None
        if kind == "list":
            return [str(v) for v in (value if isinstance(value, list) else [value])]
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError
            return value
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise IcapError(f"'{key}' must be a {kind}, not {value!r}", file=file, line=line) from None


TEMPLATE = """\
# icap project file: defaults for `icap code` in this folder. Flags on the command line win.
codebook: codebook.yaml        # your copy of the codebook; edit it freely
unit: turn                     # turn | paragraph | sentence
interviewers: [I, Interviewer] # speakers whose turns are kept for context but not coded
# cases: transcripts/cases.csv # document -> case + attributes (default: cases.csv beside the transcripts)
out: icap-results              # where `icap code` writes its CSV, JSONL and manifest
# lang: nl                     # force one language instead of detecting it per document
# report_lang: nl              # captions and fixed texts of reports: nl | en | sv (default: the codebook's)
# paper: a4                    # report paper: a4 | letter (default: from the locale, else a4)
# semantic: true               # suggest codes by meaning where keywords coded nothing (needs the semantic extra)
# semantic_min_z: 1.0          # how clearly a code must stand out to be suggested
# executor: dask               # process (default) | dask: code on a Dask cluster (pip install 'icap-coder[dask]')
# scheduler: tcp://host:8786   # the Dask scheduler; without it, a local cluster with `jobs` workers
"""


def paper_from_locale(environ: dict[str, str] | None = None) -> str:
    """Letter where the locale's country uses it (en_US, fr_CA, ...), A4 everywhere else."""
    import os

    environ = dict(os.environ) if environ is None else environ
    for name in ("LC_ALL", "LC_PAPER", "LANG"):
        value = environ.get(name, "")
        if value:
            country = value.split(".")[0].split("@")[0].partition("_")[2].upper()
            return "letter" if country in LETTER_COUNTRIES else "a4"
    return "a4"
