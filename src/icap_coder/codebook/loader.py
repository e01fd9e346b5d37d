"""Codebook YAML -> Codebook, with every problem reported as file:line.

PyYAML's node tree keeps line numbers, so we walk nodes instead of plain
dicts; the walker collects all problems so a student sees them at once.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import yaml

from icap_coder import yamlfile
from icap_coder.codebook.patterns import PatternError, parse_pattern
from icap_coder.errors import CodebookError, IcapError
from icap_coder.model import Code, Codebook, CodeGroup
from icap_coder.settings import LANGUAGES

TOP_KEYS = {"codebook", "version", "languages", "description", "groups"}
GROUP_KEYS = {"name", "label", "definition", "description", "codes"}
CODE_KEYS = {"name", "label", "definition", "description", "indicators", "examples",
             "keywords", "exclude", "inductive", "memo"}
SHIPPED = "innovatiecapaciteit.yaml"


def shipped_codebook_path() -> Path:
    """The thesis codebook that ships inside the package."""
    return Path(str(resources.files("icap_coder.codebook") / "shipped" / SHIPPED))


def load_codebook(path: str | Path | None = None) -> tuple[Codebook, list[str]]:
    """Read and validate a codebook; returns it with a list of warnings.

    Raises CodebookError listing every problem found (file:line: what, what to do).
    """
    path = Path(path) if path else shipped_codebook_path()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IcapError(f"cannot read codebook: {exc.strerror}", file=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IcapError("codebook is not UTF-8 text; save it as UTF-8", file=str(path)) from None
    walker = _Walker(str(path))
    codebook = walker.codebook(text)
    codebook.source = str(path)
    codebook.sha256 = hashlib.sha256(data).hexdigest()
    return codebook, walker.warnings


class _Walker:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[IcapError] = []
        self.warnings: list[str] = []

    # -- reporting -------------------------------------------------------
    def problem(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(IcapError(message, file=self.file, line=line))

    def warn(self, node: yaml.Node, message: str) -> None:
        self.warnings.append(f"{self.file}:{node.start_mark.line + 1}: {message}")

    # -- node helpers ----------------------------------------------------
    def mapping(self, node: yaml.Node, allowed: set[str], what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return {}
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if not key:
                self.problem(key_node, f"a key in {what} must be a plain word")
            elif key in out:
                self.problem(key_node, f"duplicate key '{key}' in {what}; keep one")
            elif allowed and key not in allowed:
                self.problem(key_node, f"unknown key '{key}' in {what}; allowed: {', '.join(sorted(allowed))}")
            else:
                out[key] = value_node
        return out

    def text(self, node: yaml.Node | None, what: str, required: bool = False) -> str:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be text")
            return ""
        return str(node.value).strip()

    def text_list(self, node: yaml.Node | None, what: str) -> list[tuple[str, yaml.Node]]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list, e.g. [a, b]")
            return []
        items: list[tuple[str, yaml.Node]] = []
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                items.append((str(item.value), item))
            else:
                self.problem(item, f"each entry of {what} must be text")
        return items

    def label(self, node: yaml.Node | None, what: str) -> dict[str, str]:
        if node is None:
            return {}
        if isinstance(node, yaml.ScalarNode):
            return {"en": str(node.value)}
        return {k: self.text(v, f"{what} label") for k, v in self.mapping(node, set(), f"{what} label").items()}

    # -- the schema ------------------------------------------------------
    def codebook(self, text: str) -> Codebook:
        try:
            root = yamlfile.compose(text, self.file)
        except IcapError as exc:
            raise CodebookError([exc]) from None
        if root is None:
            raise CodebookError([IcapError("codebook is empty; start from `icap init`", file=self.file)])
        top = self.mapping(root, TOP_KEYS, "the codebook")
        for key in ("codebook", "languages", "groups"):
            if key not in top and isinstance(root, yaml.MappingNode):
                self.problem(root, f"missing required key '{key}'")
        languages = [lang for lang, _ in self.text_list(top.get("languages"), "languages")]
        for lang, node in self.text_list(top.get("languages"), "languages"):
            if lang not in LANGUAGES:
                self.problem(node, f"unknown language '{lang}'; supported: {', '.join(LANGUAGES)}")
        groups = self.groups(top.get("groups"), languages)
        if self.problems:
            raise CodebookError(self.problems)
        return Codebook(
            name=self.text(top.get("codebook"), "codebook"),
            version=self.text(top.get("version"), "version") or "1",
            languages=languages,
            groups=groups,
        )

    def groups(self, node: yaml.Node | None, languages: list[str]) -> list[CodeGroup]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(node, "groups must be a non-empty list of code groups")
            return []
        groups: list[CodeGroup] = []
        seen_groups: dict[str, int] = {}
        seen_codes: dict[str, int] = {}
        for group_node in node.value:
            fields = self.mapping(group_node, GROUP_KEYS, "a code group")
            name = self.name(fields.get("name"), group_node, "code group")
            if name in seen_groups:
                self.problem(fields["name"], f"duplicate code group '{name}' (first at line {seen_groups[name]})")
            elif name:
                seen_groups[name] = group_node.start_mark.line + 1
            group = CodeGroup(name, self.label(fields.get("label"), name),
                              self.text(fields.get("definition"), "definition"))
            codes_node = fields.get("codes")
            if not isinstance(codes_node, yaml.SequenceNode) or not codes_node.value:
                self.problem(codes_node or group_node, f"code group '{name}' is empty: give it at least one code")
            else:
                for code_node in codes_node.value:
                    code = self.code(code_node, name, languages)
                    if code.name in seen_codes:
                        self.problem(code_node, f"duplicate code '{code.name}' (first at line {seen_codes[code.name]})")
                    elif code.name:
                        seen_codes[code.name] = code_node.start_mark.line + 1
                    group.codes.append(code)
            groups.append(group)
        return groups

    def name(self, node: yaml.Node | None, parent: yaml.Node, what: str) -> str:
        name = self.text(node, "name")
        if not name:
            self.problem(node or parent, f"{what} without a name")
        elif "/" in name and what == "code group":
            self.problem(node, f"'{name}': a group name may not contain '/' (it separates group and code)")
        return name

    def code(self, node: yaml.Node, group: str, languages: list[str]) -> Code:
        fields = self.mapping(node, CODE_KEYS, "a code")
        name = self.name(fields.get("name"), node, "code")
        inductive_node = fields.get("inductive")
        inductive = False
        if inductive_node is not None:
            value = self.text(inductive_node, "inductive").lower()
            if value not in ("true", "false", "yes", "no"):
                self.problem(inductive_node, "inductive must be true or false")
            inductive = value in ("true", "yes")
        code = Code(
            name=name, group=group, label=self.label(fields.get("label"), name),
            definition=self.text(fields.get("definition"), "definition"),
            indicators=[t for t, _ in self.text_list(fields.get("indicators"), "indicators")],
            examples=[t for t, _ in self.text_list(fields.get("examples"), "examples")],
            keywords=self.patterns(fields.get("keywords"), languages, f"keywords of '{name}'"),
            exclude=self.patterns(fields.get("exclude"), languages, f"exclude of '{name}'"),
            inductive=inductive, line=node.start_mark.line + 1,
        )
        if not inductive and not any(code.keywords.values()):
            self.warn(node, f"code '{name}' has no keywords and is not inductive: it will never be coded automatically")
        return code

    def patterns(self, node: yaml.Node | None, languages: list[str], what: str) -> dict[str, list[str]]:
        if node is None:
            return {}
        out: dict[str, list[str]] = {}
        for lang, value in self.mapping(node, set(), what).items():
            if lang not in languages:
                self.problem(value, f"unknown language '{lang}' in {what}; the codebook's languages are "
                                    f"{', '.join(languages) or 'not set'} (add it to `languages:`)")
                continue
            out[lang] = []
            for raw, item in self.text_list(value, f"{what} ({lang})"):
                try:
                    parse_pattern(raw)
                except PatternError as exc:
                    self.problem(item, f"{exc} in {what} ({lang})")
                    continue
                out[lang].append(raw)
        return out
