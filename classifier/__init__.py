"""complaint-classifier: sort Chinese complaints about platform failures and say what to do.

>>> from classifier import classify
>>> classify("付款显示失败但银行卡扣了199元").category
'payment'

Importing the package does no work: models, dictionaries and heavy libraries load on first use.
"""

from __future__ import annotations

from importlib import import_module

from ._version import __version__

__all__ = [
    "LABELS",
    "ClassifierError",
    "ComplaintClassifier",
    "JiebaTokenizer",
    "Result",
    "__version__",
    "classify",
    "classify_file",
    "classify_frame",
    "default_model",
    "evaluate",
    "explain",
    "extract_facts",
    "letter",
    "load_playbook",
    "normalize_text",
    "train",
]

# public name -> module that defines it; resolved lazily so `import classifier` stays cheap
_EXPORTS = {
    "LABELS": "labels",
    "ClassifierError": "errors",
    "ComplaintClassifier": "model",
    "JiebaTokenizer": "tokenizer",
    "Result": "result",
    "classify": "api",
    "explain": "api",
    "default_model": "api",
    "letter": "api",
    "extract_facts": "facts",
    "classify_file": "batch",
    "classify_frame": "batch",
    "evaluate": "evaluation",
    "train": "training",
    "load_playbook": "playbook",
    "normalize_text": "normalize",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'classifier' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
