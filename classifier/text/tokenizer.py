"""A picklable, quiet jieba tokenizer for scikit-learn vectorizers.

``TfidfVectorizer(tokenizer=jieba.lcut)`` cannot be pickled (jieba's tokenizer holds a lock)
and shares jieba's global dictionary with everything else in the process. :class:`JiebaTokenizer`
owns a private ``jieba.Tokenizer`` built on first use, drops it when pickled, and never prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from ..errors import InvalidInputError, MissingExtraError, ModelVersionError
from ..paths import cache_dir, package_data
from .concepts import concept_tags
from .normalize import PLACEHOLDERS, normalize_many, normalize_text

__all__ = ["NOT_A_WORD", "JiebaTokenizer"]

_USER_DICT = "userdict.txt"
_PLACEHOLDER_SPLIT = re.compile("([" + "".join(PLACEHOLDERS) + "])")
# A token made only of punctuation, symbols or spaces carries no meaning as a word; the
# character channel still sees these characters.
NOT_A_WORD = re.compile(r"^[\W_]+$")
_LOCK = threading.Lock()


class _Segmenter(Protocol):
    def cut(self, text: str, HMM: bool = False) -> Iterator[str] | list[str]: ...  # noqa: N803


@contextlib.contextmanager
def _quiet_jieba() -> Iterator[None]:
    """Silence jieba's logger while we initialise; restore it afterwards."""
    # jieba is imported only when a tokenizer is built: it takes longer than the rest of a cold start
    import jieba

    logger = jieba.default_logger
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


def _user_dict_bytes() -> bytes:
    return package_data("text", _USER_DICT)


def _jieba_dictionary() -> str:
    """The path of jieba's main dictionary, found without importing jieba (which takes longer
    than the rest of a cold start)."""
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.submodule_search_locations is not None
    (package,) = spec.submodule_search_locations
    return os.path.join(package, "dict.txt")


def _rjieba_installed() -> bool:
    return "rjieba" in sys.modules or importlib.util.find_spec("rjieba") is not None


def _rjieba_class() -> Any:
    """rjieba's ``Jieba`` class, loaded without running ``rjieba/__init__.py``.

    That file builds a module-level tokenizer on import, which costs 0.1 s we do not need (we
    build our own, with the user dictionary). The compiled module is registered under its usual
    name, so a later ``import rjieba`` anywhere in the process works as always; if the package
    is laid out differently from what this expects, it is imported the ordinary way.
    """
    module = sys.modules.get("rjieba.rjieba")
    if module is None:
        try:
            package = importlib.util.find_spec("rjieba")
            assert package is not None and package.submodule_search_locations is not None
            folder = Path(next(iter(package.submodule_search_locations)))
            binary = next(
                folder / f"rjieba{suffix}"
                for suffix in importlib.machinery.EXTENSION_SUFFIXES
                if (folder / f"rjieba{suffix}").is_file()
            )
            spec = importlib.util.spec_from_file_location("rjieba.rjieba", binary)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules["rjieba.rjieba"] = module
        except Exception:  # noqa: BLE001 - any surprise: the ordinary import (an optional extra)
            import rjieba

            return rjieba.Jieba
    return module.Jieba


class JiebaTokenizer:
    """Split a complaint into jieba words, keeping one-character words and placeholders.

    Parameters
    ----------
    user_dict : load the package's domain dictionary (支付宝, 重复扣款, 闪退 …).
    hmm : let jieba guess unknown words with its HMM. Off by default: results are then a pure
        function of the dictionaries, which keeps fast re-implementations comparable.
    normalize : run :func:`classifier.text.normalize.normalize_text` first. Pipelines that already
        normalised their input pass ``False``.
    traditional : with ``normalize``, convert traditional characters to simplified.
    backend : ``"jieba"`` (pure Python, the reference), ``"rjieba"`` (jieba-rs bindings, a
        dependency wherever PyPI has its wheels, else the ``[fast]`` extra: ~9× faster and
        ~70 MB lighter) or ``"auto"`` (rjieba when installed and
        ``hmm`` is off, else jieba). With HMM off both give the same tokens on all but a handful
        of texts (ties between repeated characters such as 好好好); a golden test measures it.
    concepts : append the text's concept tags (:mod:`classifier.text.concepts`) after its words,
        so "§扣钱 §未到" is a word bigram whatever words said it.

    >>> JiebaTokenizer()("支付宝扣了199元却显示支付失败")
    ['支付宝', '扣了', '<money>', '却', '显示', '支付失败']
    """

    def __init__(
        self,
        user_dict: bool = True,
        hmm: bool = False,
        normalize: bool = True,
        traditional: bool = True,
        backend: str = "auto",
        concepts: bool = False,
    ) -> None:
        self.user_dict = user_dict
        self.hmm = hmm
        self.normalize = normalize
        self.traditional = traditional
        self.backend = backend
        self.concepts = concepts

    # -- pickling: the jieba.Tokenizer (and its lock) is rebuilt lazily after unpickling
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_jieba", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("concepts", False)  # pickled before concept tags existed
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return (
            f"JiebaTokenizer(user_dict={self.user_dict!r}, hmm={self.hmm!r}, "
            f"normalize={self.normalize!r}, traditional={self.traditional!r}, backend={self.backend!r}"
            + (", concepts=True)" if self.concepts else ")")
        )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, JiebaTokenizer)
            and type(other) is type(self)
            and self.settings() == other.settings()
        )

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.settings().items())))

    def settings(self) -> dict[str, bool]:
        """The parameters that change tokens (recorded in model metadata).

        The backend is not among them: both backends implement the same segmentation; which
        one ran is reported by :meth:`backend_in_use`. ``concepts`` is listed only when on, so
        the settings (and fingerprints) of models made before it existed are unchanged.
        """
        settings = {
            "user_dict": self.user_dict,
            "hmm": self.hmm,
            "normalize": self.normalize,
            "traditional": self.traditional,
        }
        if self.concepts:
            settings["concepts"] = True
        return settings

    def fingerprint(self) -> str:
        """sha256 over the settings, jieba's main dictionary and the user dictionary."""
        from importlib.metadata import version  # 25 ms of imports: only when a model is loaded

        digest = hashlib.sha256(json.dumps(self.settings(), sort_keys=True).encode())
        digest.update(version("jieba").encode())
        with open(_jieba_dictionary(), "rb") as fh:
            digest.update(fh.read())
        if self.user_dict:
            digest.update(_user_dict_bytes())
        return digest.hexdigest()

    def _fingerprint_is(self, expected: str) -> bool:
        """``fingerprint() == expected``, remembered in the cache folder once it held.

        A match is remembered under the dictionaries' identity (jieba's dictionary file: its
        path, size, modification time and inode; the user dictionary's bytes; the settings):
        a later load then costs a ``stat`` instead of the version look-up and hashing 5 MB,
        which took longer than the rest of loading the model. Any change to a dictionary file
        (a jieba upgrade rewrites it) gives another identity, and the fingerprint is computed
        again. Mismatches are never remembered.
        """
        try:
            dictionary = _jieba_dictionary()
            info = os.stat(dictionary)
            identity = json.dumps(
                [self.settings(), dictionary, info.st_size, info.st_mtime_ns, info.st_ino, expected]
            ).encode() + (_user_dict_bytes() if self.user_dict else b"")
            marker = cache_dir() / "fingerprints" / hashlib.sha256(identity).hexdigest()
            if marker.is_file():
                return True
        except OSError:
            marker = None
        if self.fingerprint() != expected:
            return False
        if marker is not None:
            with contextlib.suppress(OSError):  # a read-only cache folder: compute it every time
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.touch()
        return True

    def check_fingerprint(self, expected: str | None, where: Path) -> None:
        """Refuse a model trained with other dictionaries (``expected`` is its sidecar's sha256)."""
        if expected and not self._fingerprint_is(expected):
            raise ModelVersionError(
                f"{where}: the tokenizer dictionaries differ from the ones the model was trained "
                "with (jieba or the bundled user dictionary changed). Retrain with `complaint-classifier train`."
            )

    def backend_in_use(self) -> str:
        """``"rjieba"`` or ``"jieba"``: what this tokenizer runs on this machine."""
        backend = self.backend
        if backend == "jieba" or (backend == "auto" and self.hmm):
            return "jieba"
        if not _rjieba_installed():
            if backend == "rjieba":
                raise MissingExtraError(
                    "backend='rjieba' needs the fast extra: pip install 'complaint-classifier[fast]'"
                ) from None
            return "jieba"
        return "rjieba"

    def _tokenizer(self) -> _Segmenter:
        tok = self.__dict__.get("_jieba")
        if tok is not None:
            return tok
        with _LOCK:
            tok = self.__dict__.get("_jieba")
            if tok is None:
                tok = self._build()
                self._jieba = tok
        return tok

    def _build(self) -> _Segmenter:
        if self.backend_in_use() == "rjieba":
            return self._build_rjieba()
        return self._build_jieba()

    def _build_rjieba(self) -> _Segmenter:
        tok = _rjieba_class()()
        if self.user_dict:
            for word, freq in self._user_words():
                tok.add_word(word, freq, None)
        return _RJiebaCut(tok)

    def _user_words(self) -> Iterator[tuple[str, int | None]]:
        for line in _user_dict_bytes().decode("utf-8").splitlines():
            word, _, freq = line.strip().partition(" ")
            if word:
                yield word, int(freq) if freq.strip() else None

    def _build_jieba(self) -> _Segmenter:
        import jieba  # see _quiet_jieba

        tok = jieba.Tokenizer()
        # jieba caches its prefix dictionary in the shared temp dir by default; keep ours
        # in a per-user cache, or nowhere if that cannot be created.
        directory = cache_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
            tok.tmp_dir = str(directory)
        except OSError:
            tok.tmp_dir = None
            tok.cache_file = None
        with _quiet_jieba():
            if tok.tmp_dir is None:
                tok.FREQ, tok.total = tok.gen_pfdict(tok.get_dict_file())
                tok.initialized = True
            else:
                tok.initialize()
            if self.user_dict:
                for word, freq in self._user_words():
                    tok.add_word(word, freq)
        return tok

    def __call__(self, text: str) -> list[str]:
        if self.normalize:
            text = normalize_text(text, traditional=self.traditional)
        tok = self._tokenizer()
        words: list[str] = []
        for piece in _PLACEHOLDER_SPLIT.split(text):
            if not piece:
                continue
            if piece in PLACEHOLDERS:
                words.append(PLACEHOLDERS[piece])
                continue
            for word in tok.cut(piece, HMM=self.hmm):
                if not NOT_A_WORD.match(word):
                    words.append(word)
        if self.concepts:
            words += concept_tags(text)
        return words

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """Every segmenter token of an already normalised text with its ``(start, end)``, in order
        and covering the text: punctuation and spaces too, placeholders as their characters.

        >>> [t for t, _, _ in JiebaTokenizer(normalize=False).spans("扣了钱,页面打不开")]
        ['扣了', '钱', ',', '页面', '打不开']
        """
        tok = self._tokenizer()
        out: list[tuple[str, int, int]] = []
        at = 0
        for piece in _PLACEHOLDER_SPLIT.split(text):
            if not piece:
                continue
            if piece in PLACEHOLDERS:
                out.append((piece, at, at + 1))
                at += 1
                continue
            for word in tok.cut(piece, HMM=self.hmm):
                out.append((word, at, at + len(word)))
                at += len(word)
        return out

    def cut_joined(self, texts: list[str]) -> list[str]:
        """Raw segmenter tokens of ``"\\n".join(texts)``, in one call for a whole batch.

        Each ``"\\n"`` token marks the end of a text. Tokens are not yet filtered: placeholders
        are still their characters and punctuation is still there (see
        :class:`classifier.engine.tables.WordNgrams`). Texts are normalised first if this tokenizer
        normalises, and must not contain newlines otherwise (normalised texts never do). With
        ``concepts``, each text's tags come after its tokens, before its ``"\n"``.
        """
        if self.normalize:
            texts = normalize_many(texts, traditional=self.traditional)
        raw = list(self._tokenizer().cut("\n".join(texts), HMM=self.hmm))
        return _with_tags(raw, texts) if self.concepts and texts else raw


_MISCOUNTED = "cut_joined needs texts without newlines (normalise them first)"


def _with_tags(raw: list[str], texts: list[str]) -> list[str]:
    """The raw tokens of joined ``texts`` with each text's concept tags before its ``"\n"``."""
    # normalised texts have no newline (nor \r, which the segmenter would join to it); only a
    # caller skipping normalisation can make the separators miscount
    out: list[str] = []
    start = 0
    for text in texts[:-1]:
        try:
            end = raw.index("\n", start)  # the scan runs in C; a Python loop over tokens does not
        except ValueError:
            raise InvalidInputError(_MISCOUNTED) from None
        out += raw[start:end]
        out += concept_tags(text)
        out.append("\n")
        start = end + 1
    if "\n" in raw[start:]:
        raise InvalidInputError(_MISCOUNTED)
    out += raw[start:]
    out += concept_tags(texts[-1])
    return out


class _RJiebaCut:
    """Adapter giving rjieba's tokenizer jieba's ``cut(text, HMM=...)`` signature."""

    def __init__(self, tok: Any) -> None:
        self.tok = tok

    def cut(self, text: str, HMM: bool = False) -> list[str]:  # noqa: N803 - jieba's spelling
        return self.tok.cut(text, HMM)
