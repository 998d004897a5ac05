"""complaint-classifier: sort Chinese complaints about platform failures and say what to do.

>>> from classifier import classify
>>> classify("付款显示失败但银行卡扣了199元").category
'payment'

Importing the package does no work: models, dictionaries and heavy libraries load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import __version__

__all__ = [
    "LABELS",
    "ClassifierError",
    "ComplaintClassifier",
    "JiebaTokenizer",
    "Result",
    "__version__",
    "adapt",
    "classify",
    "classify_dask",
    "classify_file",
    "classify_frame",
    "compare",
    "default_model",
    "evaluate",
    "explain",
    "extract_facts",
    "letter",
    "load_playbook",
    "normalize_text",
    "review",
    "train",
]

# public name -> module that defines it; resolved lazily so `import classifier` stays cheap
# (the top of the layers: see ARCHITECTURE.md)
_EXPORTS = {
    "LABELS": "labels",
    "ClassifierError": "errors",
    "ComplaintClassifier": "model.estimator",
    "JiebaTokenizer": "text.tokenizer",
    "Result": "advice.result",
    "classify": "api",
    "explain": "api",
    "default_model": "model.files",
    "letter": "api",
    "extract_facts": "text.facts",
    "classify_dask": "batch.dask_engine",
    "classify_file": "batch.files",
    "classify_frame": "batch.frames",
    "evaluate": "model.evaluation",
    "adapt": "batch.adapt",
    "compare": "batch.compare",
    "review": "batch.review",
    "train": "model.training",
    "load_playbook": "advice.playbook",
    "normalize_text": "text.normalize",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'classifier' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
