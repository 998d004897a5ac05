"""Every fast path against the slow path it must equal: one registry, one test.

Speed work left the package with pairs of code paths that must give the same answer — a
vectorised one that runs, and a plain one that is easy to trust. Each pair is registered in
:data:`PAIRS` with the inputs to compare them on (fixed cases, and where useful a Hypothesis
strategy); :func:`test_fast_path_gives_the_slow_paths_answer` runs every pair. ARCHITECTURE.md
lists the pairs (a test below keeps the list complete). A new fast path gets a pair here.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier import classify_file, classify_frame
from classifier.batch import readers, workers
from classifier.batch.columns import RESULT_COLUMNS
from classifier.batch.writers import render, render_columns
from classifier.engine import scorer
from classifier.engine.kernel import kernel, kernel_status
from classifier.engine.one_text import char_ngrams
from classifier.engine.tables import CharNgrams, CodeTable, count_entries
from classifier.text.facts import extract_facts
from classifier.text.normalize import (
    _ISLAND,
    PLACEHOLDERS,
    _island_spans,
    _nfkc,
    normalize_many,
    normalize_text,
)
from classifier.text.tokenizer import NOT_A_WORD, JiebaTokenizer

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------- the machinery


class Context:
    """What a pair may use: the session's fixtures, monkeypatch, a temporary folder."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.request = request

    def __getattr__(self, name: str) -> Any:
        return self.request.getfixturevalue(name)


@dataclass(frozen=True)
class Pair:
    """A fast path, the slow path it must equal, and what to compare them on."""

    fast: str  # where the fast path lives (for people: ARCHITECTURE.md lists these)
    slow: str  # the reference
    run_fast: Callable[[Context, Any], Any]
    run_slow: Callable[[Context, Any], Any]
    cases: Callable[[Context], Iterable[Any]] = lambda ctx: ()
    strategy: st.SearchStrategy[Any] | None = None
    examples: int = 100
    same: Callable[[Any, Any], None] = lambda fast, slow: _equal(fast, slow)
    needs: Callable[[Context], str | None] = lambda ctx: None  # a reason to skip, or None
    slow_test: bool = False  # trains a model, starts processes or a cluster


def _equal(fast: Any, slow: Any) -> None:
    assert fast == slow


def _close(atol: float) -> Callable[[Any, Any], None]:
    def same(fast: Any, slow: Any) -> None:
        np.testing.assert_allclose(fast, slow, rtol=0, atol=atol)

    return same


def _frames_equal(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast.reset_index(drop=True), slow.reset_index(drop=True), check_dtype=False)


def _needs(module: str) -> Callable[[Context], str | None]:
    def missing(ctx: Context) -> str | None:
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed"
        return None

    return missing


def _needs_kernel(ctx: Context) -> str | None:
    return None if kernel() is not None else f"no kernel: {kernel_status()}"


# --------------------------------------------------------------------------- inputs

# characters every normalisation step cares about: full-width forms, digits and units the
# placeholder rules read, whitespace, combining marks, private-use and placeholder characters
_TRICKY = (
    "０１２３４５６７８９ＡＢｃ，。！？（）…①㎡é\u0301ＷＷＷ．元块圆月日号点分钟半版儿 \t\n\r"
    "0123456789-/.:：年abchtpsvw¥$万千百一二三两十\ue000\ue001\ue005Σσ扣钱付款失败開頁麵"
)
_TEXTS = ["扣了钱没到账", "", "页面打不开 打不开", "扣", "钱钱钱", "a b"]
# batches of any text over the characters the scoring paths treat differently
_ANY_BATCH = st.lists(
    st.text(alphabet="付款失败扣了钱元页面打不开 ，。!a1😀𠮷\n", max_size=60), min_size=2, max_size=20
)


def _test_split(ctx: Context) -> list[str]:
    return ctx.corpus[ctx.corpus["split"] == "test"]["text"].tolist()


def _sample(
    n: int, seed: int, extra: tuple[str, ...] = ("", "扣" * 6000)
) -> Callable[[Context], list[list[str]]]:
    return lambda ctx: [ctx.corpus["text"].sample(n, random_state=seed).tolist() + list(extra)]


def _csv_bytes(rows: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["编号", "投诉内容"])
    writer.writerows(rows)
    return buffer.getvalue().encode()


_ROWS = [("1", "付款显示失败但银行卡扣了199元"), ("2", "会员开了视频一直黑屏"), ("3", "购物车的商品全没了")]
# records at block edges: a cell over two lines, a short record, a bare carriage return, bad bytes
_MIXED = (
    _csv_bytes(_ROWS + [("4", '第一行：扣了钱\n第二行：订单没生成,"急"')])
    + b"5,extra,fields,here\n6,\xe6\x89\xa3\xe6\xac\xbe\n"
    + "7,扣款\r失败\n".encode()
    + b"8,\xff\xfe\x00\x81garbage\n"
)


def _file(ctx: Context, name: str, data: bytes) -> Any:
    path = ctx.tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- the paths


_TOKENIZERS: dict[str, JiebaTokenizer] = {}


def _tokenizer(backend: str) -> JiebaTokenizer:
    if backend not in _TOKENIZERS:
        _TOKENIZERS[backend] = JiebaTokenizer(normalize=False, backend=backend)
    return _TOKENIZERS[backend]


def _tokens_per_text(tok: JiebaTokenizer, texts: list[str]) -> list[list[str]]:
    per_text: list[list[str]] = [[]]
    for token in tok.cut_joined(texts):
        if token == "\n":
            per_text.append([])
        elif token in PLACEHOLDERS or not NOT_A_WORD.match(token):
            per_text[-1].append(PLACEHOLDERS.get(token, token))
    return per_text


def _cut_joined_cases(ctx: Context) -> list[list[str]]:
    return [
        normalize_many(ctx.corpus["text"].sample(300, random_state=2).tolist()) + ["", "扣了\ue001", "", "!!"]
    ]


def _tokenizers_differ(ctx: Context, _: Any) -> float:
    reference, fast = _tokenizer("jieba"), _tokenizer("rjieba")
    assert fast.backend_in_use() == "rjieba" and reference.backend_in_use() == "jieba"
    texts = [normalize_text(t) for t in ctx.corpus["text"]]
    return sum(reference(t) != fast(t) for t in texts) / len(texts)


def _predictions_with(backend: str) -> Callable[[Context, Any], list[str]]:
    def predict(ctx: Context, _: Any) -> list[str]:
        import copy

        model = copy.deepcopy(ctx.small_model)
        model.set_params(backend=backend)
        model.pipeline_.named_steps["features"].transformer_list[0][1].tokenizer = model.tokenizer()
        return model.predict(_test_split(ctx)).tolist()

    return predict


def _agree_at_least(share: float) -> Callable[[list[str], list[str]], None]:
    def same(fast: list[str], slow: list[str]) -> None:
        agree = sum(a == b for a, b in zip(fast, slow)) / len(fast)
        assert agree >= share, agree

    return same


def _code_table(ctx: Context, case: tuple[list[int], list[int]]) -> list[int]:
    codes, probes = sorted(case[0]), case[1]
    table = CodeTable(codes, list(range(len(codes))))
    return table.lookup(np.array(codes + probes, dtype=np.int64)).tolist()


def _dict_lookup(ctx: Context, case: tuple[list[int], list[int]]) -> list[int]:
    codes, probes = sorted(case[0]), case[1]
    index = {c: i for i, c in enumerate(codes)}
    return [index.get(q, -1) for q in codes + probes]


def _terms_of(texts: list[str], seed: int) -> list[str]:
    every = sorted({g for t in texts for g in char_ngrams(t, 1, 3)})
    return sorted(set(every[seed % 2 :: 2]) | {"钱😀钱"})  # some known, some not


def _char_tables(ctx: Context, texts: list[str]) -> list[Counter[str]]:
    terms = _terms_of(texts, len(texts))
    rows, features, counts = count_entries(CharNgrams(terms, (1, 3)).entries(texts), len(terms))
    got: list[Counter[str]] = [Counter() for _ in texts]
    for r, f, c in zip(rows.tolist(), features.tolist(), counts.tolist()):
        got[r][terms[f]] = c
    return got


def _char_analyzer(ctx: Context, texts: list[str]) -> list[Counter[str]]:
    known = set(_terms_of(texts, len(texts)))
    return [Counter(g for g in char_ngrams(t, 1, 3) if g in known) for t in texts]


def _same_results(fast: list[Any], slow: list[Any]) -> None:
    """Same answers; the pipeline's top three reasons are among the lean engine's (float32
    features in the pipeline can reorder near-equal contributions)."""
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow):
        assert (a.category, a.status, a.evidence) == (b.category, b.status, b.evidence)
        assert {r.term for r in b.reasons[:3]} <= {r.term for r in a.reasons} | {
            r.term for r in b.reasons[3:]
        }


def _shown(scores: Any) -> tuple[np.ndarray, list[list[tuple[str, float]]]]:
    proba, reasons = scores
    return proba, [[(r.term, round(r.weight, 9)) for r in found] for found in reasons]


def _same_scores(fast: Any, slow: Any) -> None:
    np.testing.assert_allclose(fast[0], slow[0], rtol=0, atol=1e-12)
    assert fast[1] == slow[1]


def _batch_cases(ctx: Context) -> list[tuple[int, int, list[str]]]:
    texts = _test_split(ctx)[:400] + ctx.edge_texts
    return [(7, 10**9, texts), (2000, 10**9, texts), (2000, 3000, texts)]


def _lean_batch(ctx: Context, case: tuple[int, int, list[str]]) -> Any:
    rows, chars, texts = case
    ctx.monkeypatch.setattr(scorer, "BATCH_ROWS", rows)
    ctx.monkeypatch.setattr(scorer, "BATCH_CHARS", chars)
    return _shown(ctx.lean.score_texts(texts, reasons=True))


def _lean_one_by_one(ctx: Context, case: tuple[int, int, list[str]]) -> Any:
    scores = [ctx.lean.one_text.score_texts([t], reasons=True) for t in case[2]]
    return _shown((np.vstack([p for p, _ in scores]), [r[0] for _, r in scores]))


def _numpy_proba(model: Any, texts: list[str]) -> np.ndarray:
    return np.vstack([model.numpy_batch.score(texts[i : i + 500])[0] for i in range(0, len(texts), 500)])


def _kernel_proba(model_fixture: str, prune: bool = True) -> Callable[[Context, list[str]], np.ndarray]:
    def run(ctx: Context, texts: list[str]) -> np.ndarray:
        model = getattr(ctx, model_fixture)
        assert model.engine_for(len(texts), reasons=False) == "kernel"
        if not prune:
            ctx.monkeypatch.setattr(model.kernel.tables, "prune", False)
        else:
            assert model.kernel.tables.prune  # the vocabulary allows skipping trigram look-ups
        return model.score_texts(texts)[0]

    return run


def _named(scores: Any) -> tuple[np.ndarray, list[list[tuple[str, float, tuple[str, ...]]]]]:
    proba, reasons = scores
    return proba, [[(r.term, round(r.weight, 9), r.features) for r in found] for found in reasons]


def _kernel_reasons(model_fixture: str) -> Callable[[Context, list[str]], Any]:
    def run(ctx: Context, texts: list[str]) -> Any:
        model = getattr(ctx, model_fixture)
        assert model.engine_for(len(texts), reasons=True) == "kernel"
        return _named(model.score_texts(texts, reasons=True))

    return run


def _numpy_reasons(model_fixture: str) -> Callable[[Context, list[str]], Any]:
    def run(ctx: Context, texts: list[str]) -> Any:
        model = getattr(ctx, model_fixture)
        scores = [
            model.numpy_batch.score_texts(texts[i : i + 500], reasons=True) for i in range(0, len(texts), 500)
        ]
        return _named((np.vstack([p for p, _ in scores]), [r for _, found in scores for r in found]))

    return run


def _columns(engine: str) -> Callable[[Context, list[str]], list[tuple[Any, ...]]]:
    def rows(ctx: Context, texts: list[str]) -> list[tuple[Any, ...]]:
        out = classify_frame(pd.DataFrame({"text": texts}), model=getattr(ctx, engine))
        keep = ["category", "status", "confidence", "reasons", "evidence", "steps", "missing_facts"]
        return [tuple(row[k] for k in keep) for row in out.to_dict("records")]

    return rows


def _classified(engine: str) -> Callable[[Context, list[str]], list[tuple[Any, ...]]]:
    def rows(ctx: Context, texts: list[str]) -> list[tuple[Any, ...]]:
        return [
            (
                r.category,
                r.status,
                float(np.round(r.confidence, 4)),
                "；".join(f"{x.term}({x.weight:+.2f})" for x in r.reasons),
                "；".join(r.evidence),
                "；".join(r.steps),
                "；".join(r.missing_facts),
            )
            for r in getattr(ctx, engine).classify(texts)
        ]

    return rows


_WITHOUT_ADVICE = [c for c in RESULT_COLUMNS if c not in ("evidence", "steps", "missing_facts")]


def _scores_only(engine: str) -> Callable[[Context, list[str]], pd.DataFrame]:
    return lambda ctx, texts: classify_frame(
        pd.DataFrame({"text": texts}), model=getattr(ctx, engine), columns=_WITHOUT_ADVICE
    )


def _every_column(engine: str) -> Callable[[Context, list[str]], pd.DataFrame]:
    return lambda ctx, texts: classify_frame(pd.DataFrame({"text": texts}), model=getattr(ctx, engine))[
        ["text", *_WITHOUT_ADVICE]
    ]


def _many_rows(n: int) -> Callable[[Context], list[bytes]]:
    return lambda ctx: [
        _csv_bytes([(str(i), text) for i in range(n) for _, text in _ROWS[i % 3 : i % 3 + 1]])
    ]


def _classified_bytes(jobs: int, method: str = "fork") -> Callable[[Context, bytes], bytes]:
    def run(ctx: Context, data: bytes) -> bytes:
        ctx.monkeypatch.setattr(workers, "start_method", lambda: method)
        out = ctx.tmp_path / f"out-{jobs}-{method}.csv"
        classify_file(_file(ctx, "in.csv", data), out, model=ctx.lean, jobs=jobs, chunk_rows=40, force=True)
        return out.read_bytes()

    return run


def _rows_read(ctx: Context, block_bytes: int) -> list[tuple[Any, ...]]:
    ctx.monkeypatch.setattr(readers, "_BLOCK_BYTES", block_bytes)
    table = readers.open_table(_file(ctx, "mixed.csv", _MIXED))
    try:
        rows = [(row.fields, row.status, row.line) for row in table.rows]
    finally:
        table.close()
    statuses = [status for _, status, _ in rows]
    assert statuses.count("decode_error") == 1 and statuses.count("malformed_line") == 2
    return rows


_CELLS = st.lists(
    st.lists(
        st.one_of(
            st.text(alphabet="=+-@\t\r扣钱a1,\"'\n ", max_size=6),
            st.none(),
            st.floats(allow_nan=True, allow_infinity=False),
            st.integers(-5, 5),
        ),
        min_size=3,
        max_size=3,
    ),
    max_size=6,
)


def _guard_cases(ctx: Context) -> list[tuple[list[str], list[int]]]:
    texts = _test_split(ctx)[:600] + ctx.edge_texts + ["123456", "？？？", "不行", "崩了", "扣钱", "𠮷扣款"]
    texts = [text[: scorer.MAX_TEXT_CHARS] for text in texts]  # as decide_texts hands them to the guard
    answers = ctx.lean.score_texts(texts)[0].argmax(axis=1).tolist()
    others = [-1 if i % 3 == 0 else (a + i) % 4 for i, a in enumerate(answers)]  # other, and wrong answers
    return [(texts, answers), (texts, others)]


def _guard_batch(ctx: Context, case: tuple[list[str], list[int]]) -> list[bool]:
    texts, answered = case
    ctx.lean.guard_.forget()  # counted by the guard in NumPy, not read from the kernel's findings
    flagged: list[bool] = ctx.lean.guard_.needs_review(texts, np.array(answered)).tolist()
    return flagged


def _guard_one_by_one(ctx: Context, case: tuple[list[str], list[int]]) -> list[bool]:
    texts, answered = case
    guard = ctx.lean.guard_
    return [bool(guard.needs_review([t], np.array([a]))[0]) for t, a in zip(texts, answered)]


def _guard_kernel(ctx: Context, case: tuple[list[str], list[int]]) -> list[bool]:
    texts, answered = case
    ctx.lean.score_texts(texts)  # the kernel keeps what it found for the guard
    assert ctx.lean.guard_._recall(texts) is not None
    flagged: list[bool] = ctx.lean.guard_.needs_review(texts, np.array(answered)).tolist()
    return flagged


def _decision_cases(ctx: Context) -> list[tuple[list[str], np.ndarray]]:
    texts = _test_split(ctx)[:300] + ctx.edge_texts + ["123456", "？？？", "不行", "崩了", "扣钱"]
    proba = ctx.lean.score_texts(texts)[0]
    t = ctx.lean.threshold_
    # and rows on the edges: ties (argmax takes the first), at and just below the threshold
    edges = np.array([[0.4, 0.4, 0.1, 0.1], [t, 0.1, 0.1, 0.1], [np.nextafter(t, 0), 0.1, 0.1, 0.1]])
    rolled = np.vstack([np.roll(edges, shift, axis=1) for shift in range(4)])
    return [(texts, proba), (["扣了199元没到账"] * len(rolled), rolled)]


def _decided_one_by_one(ctx: Context, case: tuple[list[str], np.ndarray]) -> list[tuple[Any, ...]]:
    texts, proba = case
    return [
        _decision(scorer.build_results(ctx.lean, [text], proba[i : i + 1], [[]])[0])
        for i, text in enumerate(texts)
    ]


def _decided_in_a_batch(ctx: Context, case: tuple[list[str], np.ndarray]) -> list[tuple[Any, ...]]:
    texts, proba = case
    ctx.lean.guard_.forget()
    return [_decision(r) for r in scorer.build_results(ctx.lean, texts, proba, [[] for _ in texts])]


def _decision(result: Any) -> tuple[Any, ...]:
    return result.category, result.confidence, result.abstained, result.status


def _render_by_column(ctx: Context, rows: list[list[Any]]) -> str | None:
    columns = [list(c) for c in zip(*rows)] if rows else [[], [], []]
    return render_columns(columns, ["a", "b", "c"], "csv")


def _render_by_row(ctx: Context, rows: list[list[Any]]) -> str | None:
    return render(rows, ["a", "b", "c"], "csv")


def _dask_frame(columns: str | None) -> Callable[[Context, Any], pd.DataFrame]:
    def run(ctx: Context, _: Any) -> pd.DataFrame:
        import dask.dataframe as dd

        from classifier import classify_dask

        rows = ctx.dask_rows.head(4000)
        ddf = dd.from_pandas(rows, npartitions=8)
        return classify_dask(
            ddf, text_column="text", model=ctx.lean, client=ctx.dask_client, columns=columns
        ).compute()

    return run


def _local_frame(columns: str | None) -> Callable[[Context, Any], pd.DataFrame]:
    return lambda ctx, _: classify_frame(
        ctx.dask_rows.head(4000), text_column="text", model=ctx.lean, columns=columns
    )


def _dask_files(ctx: Context, _: Any) -> list[pd.DataFrame]:
    from classifier.batch.dask_engine import classify_files_dask

    sources = _parts(ctx)
    classify_files_dask(
        str(ctx.tmp_path / "in" / "*.csv"), ctx.tmp_path / "out", model=ctx.lean, client=ctx.dask_client
    )
    parts = sorted((ctx.tmp_path / "out").glob("part-*.csv"))
    assert len(parts) == len(sources)
    return [pd.read_csv(p, dtype=str, encoding="utf-8-sig") for p in parts]


def _local_files(ctx: Context, _: Any) -> list[pd.DataFrame]:
    frames = []
    for i, source in enumerate(_parts(ctx)):
        classify_file(source, ctx.tmp_path / f"local-{i}.csv", model=ctx.lean, force=True)
        frames.append(pd.read_csv(ctx.tmp_path / f"local-{i}.csv", dtype=str, encoding="utf-8-sig"))
    return frames


def _parts(ctx: Context) -> list[Any]:
    folder = ctx.tmp_path / "in"
    if not folder.is_dir():
        folder.mkdir()
        rows = ctx.dask_rows.head(1600)
        for i in range(4):
            rows.iloc[i * 400 : (i + 1) * 400].to_csv(folder / f"complaints_{i}.csv", index=False)
    return sorted(folder.glob("*.csv"))


def _frame_lists_equal(fast: list[pd.DataFrame], slow: list[pd.DataFrame]) -> None:
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow):
        pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- the registry

PAIRS: dict[str, Pair] = {
    # text
    "normalize_many": Pair(
        "classifier.text.normalize.normalize_many",
        "classifier.text.normalize.normalize_text, one text at a time",
        lambda ctx, texts: normalize_many(texts),
        lambda ctx, texts: [normalize_text(t) for t in texts],
        cases=lambda ctx: [ctx.corpus["text"].tolist()],
        strategy=st.lists(st.text(alphabet=_TRICKY, max_size=40), max_size=30),
        examples=200,
    ),
    "facts_of_a_list": Pair(
        "classifier.text.facts.extract_facts on a list (each pattern searched once over the texts joined)",
        "classifier.text.facts.extract_facts, one text at a time",
        lambda ctx, texts: [f.to_dict() for f in extract_facts(texts)],
        lambda ctx, texts: [extract_facts(t).to_dict() for t in texts],
        cases=lambda ctx: [ctx.corpus["text"].tolist()],
        strategy=st.lists(st.text(alphabet=_TRICKY + "元块点号月日年", max_size=40), max_size=30),
        examples=200,
    ),
    "fast_nfkc": Pair(
        "classifier.text.normalize._nfkc",
        'unicodedata.normalize("NFKC", text)',
        lambda ctx, text: _nfkc(text),
        lambda ctx, text: unicodedata.normalize("NFKC", text),
        strategy=st.text(alphabet=_TRICKY + "\ud800", max_size=1500),
    ),
    "island_spans": Pair(
        "classifier.text.normalize._island_spans (NumPy, for long text)",
        "the _ISLAND regular expression",
        lambda ctx, text: _island_spans(text),
        lambda ctx, text: [m.span() for m in _ISLAND.finditer(text)],
        strategy=st.text(alphabet=_TRICKY + "٣𝟎😀𐒠付款", min_size=900, max_size=2500),
    ),
    "cut_joined[jieba]": Pair(
        "JiebaTokenizer.cut_joined (one call per batch)",
        "JiebaTokenizer.__call__, one text at a time",
        lambda ctx, texts: _tokens_per_text(_tokenizer("jieba"), texts),
        lambda ctx, texts: [_tokenizer("jieba")(t) for t in texts],
        cases=_cut_joined_cases,
        slow_test=True,  # pure-Python jieba on 300 texts, twice
    ),
    "cut_joined[rjieba]": Pair(
        "JiebaTokenizer.cut_joined on rjieba",
        "JiebaTokenizer.__call__ on rjieba, one text at a time",
        lambda ctx, texts: _tokens_per_text(_tokenizer("rjieba"), texts),
        lambda ctx, texts: [_tokenizer("rjieba")(t) for t in texts],
        cases=_cut_joined_cases,
        needs=_needs("rjieba"),
    ),
    "rjieba_tokens": Pair(
        "rjieba (jieba-rs), HMM off, our user dictionary",
        "jieba 0.42.1: tokens differ on at most 0.1% of the corpus (ties such as 好好好)",
        _tokenizers_differ,
        lambda ctx, _: 0.001,
        cases=lambda ctx: [None],
        same=lambda differ, allowed: _equal(differ <= allowed, True),
        needs=_needs("rjieba"),
        slow_test=True,  # the whole corpus, with both tokenizers
    ),
    "rjieba_predictions": Pair(
        "a model tokenising with rjieba",
        "the same model tokenising with jieba: predictions agree on at least 99.9% of the test split",
        _predictions_with("rjieba"),
        _predictions_with("jieba"),
        cases=lambda ctx: [None],
        same=_agree_at_least(0.999),
        needs=_needs("rjieba"),
        slow_test=True,
    ),
    # engine: tables
    "code_table": Pair(
        "classifier.engine.tables.CodeTable (NumPy open addressing)",
        "a dict",
        _code_table,
        _dict_lookup,
        cases=lambda ctx: [([i << 40 for i in range(64)], [1, 2 << 40, 99 << 40])],  # colliding low bits
        strategy=st.tuples(
            st.sets(st.integers(0, 2**62), min_size=1, max_size=300),
            st.lists(st.integers(0, 2**62), max_size=50),
        ),
        examples=60,
    ),
    "char_ngram_tables": Pair(
        "classifier.engine.tables.CharNgrams + count_entries",
        "classifier.engine.one_text.char_ngrams (scikit-learn's analyzer) + Counter",
        _char_tables,
        _char_analyzer,
        cases=lambda ctx: [_TEXTS],
        strategy=st.lists(st.text(alphabet="扣钱了a 😀\uffff𐒠", max_size=12), min_size=1, max_size=8),
        examples=80,
    ),
    # engine: the four ways to score
    "lean_vs_pipeline": Pair(
        "LeanModel.predict_proba (the lean engine)",
        "ComplaintClassifier.predict_proba (the scikit-learn pipeline), to 1e-6",
        lambda ctx, texts: ctx.lean.predict_proba(texts),
        lambda ctx, texts: ctx.pipeline.predict_proba(texts),
        cases=lambda ctx: [
            _test_split(ctx) + ["", "   ", "扣" * 6000, "！！！"],
            ["付款显示失败但银行卡扣了199元"],
        ],
        same=_close(1e-6),
    ),
    "lean_vs_pipeline[small model]": Pair(
        "LeanModel of a freshly trained model",
        "that model's pipeline: probabilities to 1e-6, the same predictions",
        lambda ctx, texts: (ctx.small_lean.predict_proba(texts), ctx.small_lean.predict(texts).tolist()),
        lambda ctx, texts: (ctx.small_model.predict_proba(texts), ctx.small_model.predict(texts).tolist()),
        cases=lambda ctx: [_test_split(ctx) + ["", "   ", "扣" * 6000, "！！！"]],
        same=lambda fast, slow: (_close(1e-6)(fast[0], slow[0]), _equal(fast[1], slow[1])),
        slow_test=True,
    ),
    "lean_results_vs_pipeline": Pair(
        "LeanModel.classify",
        "ComplaintClassifier.classify: same category, status, evidence and top reasons",
        lambda ctx, texts: ctx.lean.classify(texts),
        lambda ctx, texts: ctx.pipeline.classify(texts),
        cases=_sample(100, 1),
        same=lambda fast, slow: _same_results(fast, slow),
    ),
    "guard_batch": Pair(
        "ContentGuard.needs_review on a batch (evidence summed in NumPy; sums within 1e-9 of the threshold recounted)",
        "ContentGuard.needs_review one text at a time (evidence() term by term)",
        _guard_batch,
        _guard_one_by_one,
        cases=_guard_cases,
    ),
    "guard_kernel": Pair(
        "ContentGuard.needs_review on a batch from the kernel's findings (content flags, sums)",
        "ContentGuard.needs_review one text at a time, counted by the guard (evidence() term by term)",
        _guard_kernel,
        _guard_one_by_one,
        cases=_guard_cases,
        needs=_needs_kernel,
    ),
    "decided_one_text": Pair(
        "build_results of one text: decided in Python values (_decided_one)",
        "build_results of the batch: decide_texts in NumPy",
        _decided_one_by_one,
        _decided_in_a_batch,
        cases=_decision_cases,
    ),
    "numpy_batch_vs_one_text": Pair(
        "LeanModel.score_texts on a batch (NumPy batch path, with reasons; batches of 7, 2000, 3000 chars)",
        "the one-text path, text by text: probabilities to 1e-12, the same reasons",
        _lean_batch,
        _lean_one_by_one,
        cases=_batch_cases,
        same=_same_scores,
    ),
    "kernel_vs_numpy": Pair(
        "the C kernel (small model, test split and odd inputs)",
        "the NumPy batch path, to 1e-12",
        _kernel_proba("small_lean"),
        lambda ctx, texts: _numpy_proba(ctx.small_lean, texts),
        cases=lambda ctx: [_test_split(ctx) + ctx.edge_texts],
        strategy=_ANY_BATCH,
        examples=60,
        same=_close(1e-12),
        needs=_needs_kernel,
        slow_test=True,
    ),
    "kernel_vs_numpy[bundled]": Pair(
        "the C kernel on the bundled model",
        "the NumPy batch path, to 1e-12",
        _kernel_proba("lean"),
        lambda ctx, texts: _numpy_proba(ctx.lean, texts),
        cases=lambda ctx: [ctx.corpus["text"].sample(1500, random_state=3).tolist() + ctx.edge_texts],
        strategy=_ANY_BATCH,
        examples=30,
        same=_close(1e-12),
        needs=_needs_kernel,
    ),
    "kernel_without_pruning": Pair(
        "the C kernel looking every trigram up (prune off)",
        "the NumPy batch path, to 1e-12",
        _kernel_proba("lean", prune=False),
        lambda ctx, texts: _numpy_proba(ctx.lean, texts),
        cases=lambda ctx: [ctx.corpus["text"].head(300).tolist()],
        same=_close(1e-12),
        needs=_needs_kernel,
    ),
    "kernel_reasons_vs_numpy": Pair(
        "the C kernel with reasons (cc_score_batch in NumPy's order, cc_reasons), bundled model",
        "the NumPy batch path: probabilities to 1e-12, the same reasons (terms, weights, features)",
        _kernel_reasons("lean"),
        _numpy_reasons("lean"),
        cases=lambda ctx: [ctx.corpus["text"].sample(1500, random_state=5).tolist() + ctx.edge_texts],
        strategy=_ANY_BATCH,
        examples=30,
        same=_same_scores,
        needs=_needs_kernel,
    ),
    "kernel_reasons_vs_numpy[small model]": Pair(
        "the C kernel with reasons, a freshly trained model (test split and odd inputs)",
        "the NumPy batch path: probabilities to 1e-12, the same reasons",
        _kernel_reasons("small_lean"),
        _numpy_reasons("small_lean"),
        cases=lambda ctx: [_test_split(ctx) + ctx.edge_texts],
        strategy=_ANY_BATCH,
        examples=30,
        same=_same_scores,
        needs=_needs_kernel,
        slow_test=True,
    ),
    # batch
    **{
        f"batch_columns_vs_classify[{engine}]": Pair(
            f"classify_frame's result columns ({engine} engine: batch scores and reasons)",
            "classify(), text by text, formatted as the columns are",
            _columns(engine),
            _classified(engine),
            cases=_sample(200, 4, ("扣" * 6000,)),  # a blank cell is not classified in a batch
        )
        for engine in ("pipeline", "lean")
    },
    **{
        f"scores_only_vs_every_column[{engine}]": Pair(
            f"classify_frame without the advice columns ({engine} engine; the lean one scores with the kernel)",
            "the same columns of a run with every column (the lean engine: the kernel with reasons)",
            _scores_only(engine),
            _every_column(engine),
            cases=_sample(300, 3),
            same=_frames_equal,
        )
        for engine in ("pipeline", "lean")
    },
    "block_reader": Pair(
        "classifier.batch.readers reading 1, 7 and 64-byte blocks",
        "reading megabyte blocks: the same records, statuses and line numbers",
        _rows_read,
        lambda ctx, block: _rows_read(ctx, 1 << 20),
        cases=lambda ctx: [1, 7, 64],
    ),
    "render_columns": Pair(
        "classifier.batch.writers.render_columns (column by column, CSV)",
        "classifier.batch.writers.render (row by row)",
        _render_by_column,
        _render_by_row,
        cases=lambda ctx: [[["=1+1", "-12.5", None], ["@SUM(1)", float("nan"), "退款"]]],
        strategy=_CELLS,
    ),
    "worker_processes": Pair(
        "classify_file with 2 worker processes",
        "classify_file in one process: the same bytes",
        _classified_bytes(2),
        _classified_bytes(1),
        cases=_many_rows(300),
        slow_test=True,
    ),
    "spawned_workers": Pair(
        "classify_file with 2 spawned workers (the model pickled)",
        "2 forked workers: the same bytes",
        _classified_bytes(2, "spawn"),
        _classified_bytes(2, "fork"),
        cases=_many_rows(120),
        slow_test=True,
    ),
    "dask_frame": Pair(
        "classify_dask on 8 partitions, 2 workers",
        "classify_frame in this process",
        _dask_frame(None),
        _local_frame(None),
        cases=lambda ctx: [None],
        same=_frames_equal,
        needs=_needs("distributed"),
        slow_test=True,
    ),
    "dask_frame[confidence]": Pair(
        "classify_dask with columns='confidence'",
        "classify_frame with columns='confidence'",
        _dask_frame("confidence"),
        _local_frame("confidence"),
        cases=lambda ctx: [None],
        same=_frames_equal,
        needs=_needs("distributed"),
        slow_test=True,
    ),
    "dask_files": Pair(
        "classify_files_dask on a glob of CSV files (one part per file)",
        "classify_file on each file: the same rows",
        _dask_files,
        _local_files,
        cases=lambda ctx: [None],
        same=_frame_lists_equal,
        needs=_needs("distributed"),
        slow_test=True,
    ),
}

_PROPERTY = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, marks=[pytest.mark.slow] if pair.slow_test else []) for name, pair in PAIRS.items()],
)
def test_fast_path_gives_the_slow_paths_answer(name: str, request: pytest.FixtureRequest) -> None:
    pair = PAIRS[name]
    ctx = Context(request)
    reason = pair.needs(ctx)
    if reason:
        pytest.skip(reason)
    for case in pair.cases(ctx):
        pair.same(pair.run_fast(ctx, case), pair.run_slow(ctx, case))
    if pair.strategy is not None:

        @settings(_PROPERTY, max_examples=pair.examples)
        @given(pair.strategy)
        def holds_for_any_input(case: Any) -> None:
            pair.same(pair.run_fast(ctx, case), pair.run_slow(ctx, case))

        holds_for_any_input()


def test_architecture_note_lists_every_pair() -> None:
    note = (ROOT / "ARCHITECTURE.md").read_text("utf-8")
    missing = [name for name in PAIRS if f"`{name}`" not in note]
    assert not missing, f"ARCHITECTURE.md does not list {missing}"
