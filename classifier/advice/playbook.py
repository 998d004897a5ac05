"""The refund guide's advice for each category, loaded from package data and validated.

>>> load_playbook().category("payment").name_zh
'支付系统故障'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import PlaybookError
from ..labels import LABELS
from ..paths import package_data

__all__ = ["FACT_KEYS", "Item", "Guidance", "Playbook", "load_playbook", "parse_playbook"]

_LISTS = ("evidence", "steps", "tips", "levers", "escalation", "cautions", "missing")
# facts an item can be filled with (see classifier.text.facts)
FACT_KEYS = frozenset({"money", "date", "time", "order_number", "duration", "platform", "phone"})


@dataclass(frozen=True)
class Item:
    """One piece of advice, with the guide section it comes from."""

    text: str
    source: str
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guidance:
    """Everything the playbook says about one category."""

    label: str
    name_zh: str
    name_en: str
    description: str
    symptoms: tuple[str, ...]
    platforms: tuple[str, ...]
    evidence: tuple[Item, ...]
    steps: tuple[Item, ...]
    tips: tuple[Item, ...]
    levers: tuple[Item, ...]
    escalation: tuple[Item, ...]
    cautions: tuple[Item, ...]
    missing: tuple[Item, ...]  # each names one fact (``facts[0]``) and what to say when it is absent
    request: str  # what a refund letter asks for; ``{money}`` is filled with the amounts


@dataclass(frozen=True)
class Playbook:
    """The whole playbook: guide sections, warnings for everyone, guidance per category."""

    sections: dict[str, str]
    warnings: tuple[Item, ...]
    categories: dict[str, Guidance]

    def category(self, label: str) -> Guidance:
        """The guidance for one label (a :class:`PlaybookError` names the known ones)."""
        try:
            return self.categories[label]
        except KeyError:
            raise PlaybookError(
                f"the playbook has no category {label!r}; known: {', '.join(self.categories)}"
            ) from None


def _item(raw: Any, where: str, sections: dict[str, str]) -> Item:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"]:
        raise PlaybookError(f"{where}: each item needs a non-empty 'text'")
    source = raw.get("source")
    if source not in sections:
        raise PlaybookError(f"{where}: item {raw['text'][:20]!r} names unknown guide section {source!r}")
    facts = tuple(raw.get("facts", ())) + ((raw["fact"],) if "fact" in raw else ())
    unknown = set(facts) - FACT_KEYS
    if unknown:
        raise PlaybookError(f"{where}: unknown facts {sorted(unknown)}; known: {sorted(FACT_KEYS)}")
    return Item(text=raw["text"], source=source, facts=facts)


def parse_playbook(data: dict[str, Any]) -> Playbook:
    """Validate a playbook dict and build a :class:`Playbook` (raises :class:`PlaybookError`)."""
    sections = data.get("sections")
    if not isinstance(sections, dict) or not sections:
        raise PlaybookError("playbook: 'sections' must map section keys to descriptions")
    raw_categories = data.get("categories", {})
    if set(raw_categories) != set(LABELS):
        raise PlaybookError(
            f"playbook categories {sorted(raw_categories)} must be exactly the labels {list(LABELS)}"
        )
    categories: dict[str, Guidance] = {}
    for label in LABELS:
        raw = raw_categories[label]
        for key in ("name_zh", "name_en", "description", "request"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise PlaybookError(f"playbook {label}: missing {key!r}")
        lists: dict[str, tuple[Item, ...]] = {}
        for key in _LISTS:
            values = raw.get(key)
            if not isinstance(values, list):
                raise PlaybookError(f"playbook {label}: {key!r} must be a list")
            lists[key] = tuple(_item(v, f"playbook {label}.{key}", sections) for v in values)
        if not lists["evidence"] or not lists["steps"]:
            raise PlaybookError(f"playbook {label}: evidence and steps may not be empty")
        categories[label] = Guidance(
            label=label,
            name_zh=raw["name_zh"],
            name_en=raw["name_en"],
            description=raw["description"],
            symptoms=tuple(raw.get("symptoms", ())),
            platforms=tuple(raw.get("platforms", ())),
            request=raw["request"],
            **lists,
        )
    warnings = tuple(_item(w, "playbook warnings", sections) for w in data.get("warnings", ()))
    return Playbook(sections=dict(sections), warnings=warnings, categories=categories)


@lru_cache(maxsize=1)
def load_playbook() -> Playbook:
    """Load and validate the bundled playbook (cached)."""
    text = package_data("advice", "playbook.json").decode("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlaybookError(f"the bundled playbook is not valid JSON: {exc}") from None
    return parse_playbook(data)
