"""The library's YAML (lesson headers, module.yml, glossaire.yml, demarches.yml), read in one way."""

from __future__ import annotations

import yaml

YAMLError = yaml.YAMLError
SequenceNode, MappingNode, ScalarNode = yaml.SequenceNode, yaml.MappingNode, yaml.ScalarNode

# libyaml's loader reads ten times faster than the pure-Python one: it was a fifth of the start
# (docs/benchmarks.md). When a file is broken, the pure-Python one reads it again, for the message
# and the line authors are shown.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def compose_yaml(text: str) -> yaml.Node | None:
    """The document's nodes, each knowing its line (start_mark.line, from 0)."""
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)
