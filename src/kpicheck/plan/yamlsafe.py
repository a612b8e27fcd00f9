"""Strict YAML reading: plain data only, with the line of every key.

PyYAML's ``safe_load`` keeps the last of two duplicate keys without a word and
expands aliases without limit. Plan files are edited by hand, so both are
errors here, and every value remembers its line so that a problem found later
(by pydantic or by the plan rules) can point at it. Keys go through the same
checks as values (a ``!!python/...`` tag on a key is refused too); a merge key
(``<<:``) is refused rather than supported: ``extends`` is how a plan builds on
another, and a merge would hide where a value comes from. A value PyYAML
cannot construct (``2024-02-30``, ``!!int abc``) is an error at its line.
"""

from __future__ import annotations

from typing import Any

import yaml

from kpicheck.errors import PlanError, Problem
from kpicheck.names import nfc

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Tags that construct plain data; anything else (``!!python/object``, custom
# tags) is refused rather than constructed or silently turned into a string.
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
# A plan has a few hundred nodes; an alias bomb has billions.
MAX_NODES = 200_000


class LocatedYaml:
    """The data of a YAML document plus the line of each path in it."""

    def __init__(self, data: Any, lines: dict[Path, int]) -> None:
        self.data = data
        self.lines = lines

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its closest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def load_yaml(text: str, file: str) -> LocatedYaml:
    """Parse one YAML document into plain data, refusing what a plan never needs."""
    # libyaml's parser when PyYAML was built with it: ten times faster on a large plan.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or "not valid YAML"
        if "\t" in reason or "'\\t'" in reason:
            reason += " (indent with spaces, not tabs)"
        raise PlanError(Problem.of("plan.yaml-syntax", file, line, reason=reason)) from None
    except yaml.YAMLError as exc:
        raise PlanError(Problem.of("plan.yaml-syntax", file, reason=str(exc))) from None
    finally:
        loader.dispose()
    if node is None:
        raise PlanError(Problem.of("plan.empty", file))
    builder = _Builder(loader, file)
    data = builder.build(node, ())
    return LocatedYaml(data, builder.lines)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.lines: dict[Path, int] = {}
        self.count = 0

    def build(self, node: yaml.Node, path: Path) -> Any:
        line = self._check(node, path)
        self.lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    raise PlanError(
                        Problem.of("plan.merge-key", self.file, key_node.start_mark.line + 1, dotted(path))
                    )
                key_line = self._check(key_node, path)
                key = _nfc(str(self._scalar(key_node, path)))
                if key in seen:
                    raise PlanError(
                        Problem.of(
                            "plan.duplicate-key",
                            self.file,
                            key_line,
                            dotted((*path, key)),
                            key=key,
                            first=seen[key],
                        )
                    )
                seen[key] = key_line
                self.lines[(*path, key)] = key_line
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        value = self._scalar(node, path)
        return _nfc(value) if isinstance(value, str) else value

    def _check(self, node: yaml.Node, path: Path) -> int:
        """The node's line, once it is known to be a plain value within the size limit."""
        self.count += 1
        line: int = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise PlanError(Problem.of("plan.too-many-values", self.file, line, limit=MAX_NODES))
        if node.tag not in _PLAIN_TAGS:
            raise PlanError(Problem.of("plan.tag-not-allowed", self.file, line, dotted(path), tag=node.tag))
        return line

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        # Most keys and values of a plan are plain strings: take them as
        # SafeConstructor would (its construct_yaml_str returns node.value)
        # without the generic dispatch of construct_object, which was about a
        # quarter of the time of reading a plan.
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            line = node.start_mark.line + 1
            text = node.value if isinstance(node, yaml.ScalarNode) else str(node.value)
            if node.tag == _TIMESTAMP:
                raise PlanError(
                    Problem.of("plan.bad-date", self.file, line, dotted(path), value=text)
                ) from None
            reason = f"cannot be read as a YAML {str(node.tag).rsplit(':', 1)[-1]}"
            raise PlanError(
                Problem.of("plan.invalid-value", self.file, line, dotted(path), reason=reason, value=text)
            ) from None


def _nfc(text: str) -> str:
    return nfc(text)


def dotted(path: Path) -> str | None:
    """``('indicators', 2, 'targets', 0, 'op')`` -> ``indicators[2].targets[0].op``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None
