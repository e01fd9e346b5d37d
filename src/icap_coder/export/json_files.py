"""codings.jsonl (one JSON object per line) and a JSON array for `--format json`."""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from icap_coder.export.tables import coding_record
from icap_coder.model import Coding

_encode = json.JSONEncoder(ensure_ascii=False).encode


def render_codings_jsonl(codings: Iterable[Coding]) -> str:
    return "".join(_encode(coding_record(c)) + "\n" for c in codings)


def write_codings_json(stream: TextIO, codings: Iterable[Coding]) -> None:
    json.dump([coding_record(c) for c in codings], stream, ensure_ascii=False, indent=1)
    stream.write("\n")
