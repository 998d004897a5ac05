"""The refund guide's advice for each category, loaded from package data and validated.

>>> load_playbook().category("payment").name_zh
'支付系统故障'
"""

from __future__ import annotations

import dataclasses
import json
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import PlaybookError
from ..labels import LABELS
from ..paths import package_data

__all__ = [
    "FACT_KEYS",
    "LETTER_FIELDS",
    "Item",
    "Guidance",
    "LetterShape",
    "Playbook",
    "load_playbook",
    "parse_playbook",
]

_LISTS = ("evidence", "steps", "tips", "levers", "escalation", "cautions", "missing")
# facts an item can be filled with (see classifier.text.facts)
FACT_KEYS = frozenset({"money", "date", "time", "order_number", "waybill", "duration", "platform", "phone"})


@dataclass(frozen=True)
class Item:
    """One piece of advice, with the guide section it comes from."""

    text: str
    source: str
    facts: tuple[str, ...] = ()
    # a missing date's line when the complaint gives the time of day only (晚上9点多): the day
    with_time: str = ""


# what the "相关信息" block of a letter can list (fact keys, plus the payment channel, plus "blank":
# a line the complaint's facts never fill, such as the ATM's place)
LETTER_FIELDS = frozenset({"order_number", "waybill", "money", "channel", "duration", "phone", "blank"})
# what a letter's templates may name: filled from the complaint's facts, or left blank
_LETTER_SLOTS = {
    "opening": {"when", "platform", "action"},
    "clause": {"blank"},
    "request": {"money", "money_note", "duration_note"},
    "escalation": set(),
    "card_escalation": set(),
    "title": {"action"},
}


@dataclass(frozen=True)
class LetterShape:
    """How one category's letter reads: title, opening, facts listed, the clause, the request,
    attachments and what happens if nobody answers (see :mod:`classifier.advice.letter`)."""

    title: str  # {action}
    opening: str  # {when}, {platform}, {action}
    fields: tuple[tuple[str, str, bool], ...]  # (field, label, listed even when unknown)
    clause: str  # {blank}: the clause number the user fills in
    request: str  # {money} 199元, {money_note} （涉及金额199元）, {duration_note} （两个小时）
    attachments: tuple[str, ...]
    escalation: str
    card_escalation: str  # when a bank card was charged (default: escalation)


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
    letter: LetterShape
    # cases of the category that need advice of their own (a transfer that never arrived, an
    # ATM), each a whole Guidance: the category's, with the lists and letter parts the case gives
    cases: dict[str, Guidance] = field(default_factory=dict)

    def case(self, name: str | None) -> Guidance:
        """The guidance for one case of the category (see :mod:`classifier.advice.cases`), or the
        category's own for ``None`` and a case it has no advice of its own for."""
        return self.cases.get(name, self) if name else self


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
    with_time = raw.get("with_time", "")
    if not isinstance(with_time, str) or (with_time and facts != ("date",)):
        raise PlaybookError(f"{where}: 'with_time' is a text for a missing date only")
    return Item(text=raw["text"], source=source, facts=facts, with_time=with_time)


def _letter(raw: Any, where: str) -> LetterShape:
    if not isinstance(raw, dict):
        raise PlaybookError(
            f"{where}: missing (title, opening, fields, clause, request, attachments, escalation)"
        )
    texts: dict[str, str] = {}
    for key, slots in _LETTER_SLOTS.items():
        value = raw.get(key, raw.get("escalation") if key == "card_escalation" else None)
        if not isinstance(value, str) or not value:
            raise PlaybookError(f"{where}: {key!r} must be a non-empty string")
        named = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        if named - slots:
            raise PlaybookError(
                f"{where}.{key}: unknown slots {sorted(named - slots)}; allowed: {sorted(slots)}"
            )
        texts[key] = value
    fields = raw.get("fields")
    if not isinstance(fields, list) or not all(
        isinstance(f, list)
        and len(f) == 3
        and f[0] in LETTER_FIELDS
        and isinstance(f[1], str)
        and isinstance(f[2], bool)
        for f in fields
    ):
        raise PlaybookError(
            f"{where}.fields: a list of [field, label, required]; fields: {sorted(LETTER_FIELDS)}"
        )
    attachments = raw.get("attachments")
    if (
        not isinstance(attachments, list)
        or not attachments
        or not all(isinstance(a, str) and a for a in attachments)
    ):
        raise PlaybookError(f"{where}.attachments: a non-empty list of strings")
    return LetterShape(
        fields=tuple((f[0], f[1], f[2]) for f in fields), attachments=tuple(attachments), **texts
    )


def _guidance(label: str, raw: Any, where: str, sections: dict[str, str]) -> Guidance:
    for key in ("name_zh", "name_en", "description"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise PlaybookError(f"{where}: missing {key!r}")
    lists: dict[str, tuple[Item, ...]] = {}
    for key in _LISTS:
        values = raw.get(key)
        if not isinstance(values, list):
            raise PlaybookError(f"{where}: {key!r} must be a list")
        lists[key] = tuple(_item(v, f"{where}.{key}", sections) for v in values)
    if not lists["evidence"] or not lists["steps"]:
        raise PlaybookError(f"{where}: evidence and steps may not be empty")
    return Guidance(
        label=label,
        name_zh=raw["name_zh"],
        name_en=raw["name_en"],
        description=raw["description"],
        symptoms=tuple(raw.get("symptoms", ())),
        platforms=tuple(raw.get("platforms", ())),
        letter=_letter(raw.get("letter"), f"{where}.letter"),
        evidence=lists["evidence"],
        steps=lists["steps"],
        tips=lists["tips"],
        levers=lists["levers"],
        escalation=lists["escalation"],
        cautions=lists["cautions"],
        missing=lists["missing"],
    )


def _case(category: dict[str, Any], cases: dict[str, Any], name: str, seen: tuple[str, ...] = ()) -> Any:
    """A case's raw advice: the category's, overlaid with the case it is ``like`` (if any), then
    with its own lists and letter parts."""
    raw = cases[name]
    if not isinstance(raw, dict):
        raise PlaybookError(f"playbook case {name!r}: must be an object")
    unknown = set(raw) - {"like", "letter", "every_category", *_LISTS}
    if unknown:
        raise PlaybookError(f"playbook case {name!r}: unknown keys {sorted(unknown)}")
    like = raw.get("like")
    if like is not None and (like not in cases or like in (*seen, name)):
        raise PlaybookError(f"playbook case {name!r}: 'like' names no other case: {like!r}")
    base = _case(category, cases, like, (*seen, name)) if like else category
    merged = {**base, **{k: v for k, v in raw.items() if k not in ("like", "letter", "every_category")}}
    letter = raw.get("letter", {})
    if not isinstance(letter, dict) or not isinstance(base.get("letter"), dict):
        raise PlaybookError(f"playbook case {name!r}: 'letter' must be an object")
    merged["letter"] = {**base["letter"], **letter}
    if "escalation" in letter and "card_escalation" not in letter:
        merged["letter"].pop("card_escalation", None)  # the case's escalation, for cards too
    return merged


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
        guidance = _guidance(label, raw, f"playbook {label}", sections)
        raw_cases = raw.get("cases", {})
        if not isinstance(raw_cases, dict):
            raise PlaybookError(f"playbook {label}: 'cases' must map case names to their advice")
        cases = {
            name: _guidance(label, _case(raw, raw_cases, name), f"playbook {label}.cases.{name}", sections)
            for name in raw_cases
        }
        categories[label] = dataclasses.replace(guidance, cases=cases)
    _share_cases(raw_categories, categories)
    warnings = tuple(_item(w, "playbook warnings", sections) for w in data.get("warnings", ()))
    return Playbook(sections=dict(sections), warnings=warnings, categories=categories)


def _share_cases(raw_categories: dict[str, Any], categories: dict[str, Guidance]) -> None:
    """Give every category the cases marked ``every_category`` (a scam is one whatever the model
    read the complaint as): the same advice, under each category's label."""
    for home, raw in raw_categories.items():
        for name, case in raw.get("cases", {}).items():
            flag = case.get("every_category", False)
            if not isinstance(flag, bool):
                raise PlaybookError(f"playbook case {name!r}: 'every_category' must be true or false")
            if not flag:
                continue
            for label, guidance in categories.items():
                if label == home:
                    continue
                if name in guidance.cases:
                    raise PlaybookError(f"playbook {label}: case {name!r} is {home}'s for every category")
                shared = dataclasses.replace(categories[home].cases[name], label=label)
                guidance.cases[name] = shared


@lru_cache(maxsize=1)
def load_playbook() -> Playbook:
    """Load and validate the bundled playbook (cached)."""
    text = package_data("advice", "playbook.json").decode("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlaybookError(f"the bundled playbook is not valid JSON: {exc}") from None
    return parse_playbook(data)
