"""codings.jsonl (one JSON object per line) and a JSON array for `--format json`."""

from __future__ import annotations

import json
from typing import Iterable, TextIO

from icap_coder.export.tables import coding_record
from icap_coder.model import Coding


def write_codings_jsonl(stream: TextIO, codings: Iterable[Coding]) -> None:
    for coding in codings:
        stream.write(json.dumps(coding_record(coding), ensure_ascii=False))
        stream.write("\n")


def write_codings_json(stream: TextIO, codings: Iterable[Coding]) -> None:
    json.dump([coding_record(c) for c in codings], stream, ensure_ascii=False, indent=1)
    stream.write("\n")
