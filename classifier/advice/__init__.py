"""Advice: what an answer says to a person (layer 2, above text).

``result`` holds :class:`Result` and :class:`Reason`; ``playbook`` loads and validates the refund
guide's advice (``playbook.json``, package data); ``advise`` fills a result's evidence, steps and
missing facts from the complaint's facts; ``letter`` drafts a 退款申请. Nothing here scores text.
"""
