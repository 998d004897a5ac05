"""Attach the playbook's guidance for its category to a :class:`Result`."""

from __future__ import annotations

from .playbook import load_playbook
from .result import Result

__all__ = ["advise"]


def advise(result: Result) -> Result:
    """Fill ``evidence``, ``steps``, ``tips``, ``escalation`` and ``warnings`` in place.

    >>> from classifier.result import Result
    >>> r = advise(Result("扣了钱", "payment", "支付系统故障", 0.9, {}))
    >>> r.steps[0].startswith("确认问题")
    True
    """
    playbook = load_playbook()
    guidance = playbook.category(result.category)
    result.evidence = [item.text for item in guidance.evidence]
    result.steps = [item.text for item in guidance.steps]
    result.tips = [item.text for item in guidance.tips + guidance.levers]
    result.escalation = [item.text for item in guidance.escalation]
    result.warnings = [item.text for item in guidance.cautions + playbook.warnings]
    return result
