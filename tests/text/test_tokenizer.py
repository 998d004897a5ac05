import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from classifier.errors import MissingExtraError, ModelVersionError
from classifier.text.tokenizer import JiebaTokenizer


@pytest.fixture(scope="module")
def tok():
    return JiebaTokenizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("支付宝扣了199元却显示支付失败", ["支付宝", "扣了", "<money>", "却", "显示", "支付失败"]),
        ("微信支付重复扣款", ["微信支付", "重复扣款"]),
        ("云闪付转账没到账", ["云闪付", "转账", "没到账"]),
        ("花呗被扣", ["花呗", "被扣"]),
        ("拼多多购物车清空了", ["拼多多", "购物车", "清空", "了"]),
        ("B站一直闪退", ["b站", "一直", "闪退"]),
    ],
)
def test_dictionary_words(tok, text, expected):
    assert tok(text) == expected


@pytest.mark.parametrize("char", ["钱", "卡", "退", "扣", "不", "没", "未"])
def test_one_character_tokens_are_kept(tok, char):
    assert char in tok(f"我的{char}呢") or char in "".join(tok(f"我的{char}呢"))


def test_negations_survive(tok):
    words = tok("钱没退，卡也不能用，款未到")
    for neg in ("没", "不", "未"):
        assert any(neg in w for w in words)


def test_placeholders_become_tokens(tok):
    words = tok("2023年11月28日19:40付款￥199，订单号2023112812345678，电话13812345678")
    for token in ("<date>", "<time>", "<money>", "<orderno>", "<phone>"):
        assert token in words


def test_traditional_text_gives_simplified_tokens(tok):
    assert tok("付款顯示失敗但銀行卡扣了錢") == tok("付款显示失败但银行卡扣了钱")


def test_punctuation_is_not_a_word(tok):
    assert all(w.strip("，。！？!?,. ") for w in tok("扣款！！！为什么？？？"))


def test_pickle_roundtrip_keeps_behaviour(tok):
    tok("先用一次")  # builds the private jieba tokenizer
    clone = pickle.loads(pickle.dumps(tok))
    assert "_jieba" not in clone.__dict__
    assert clone("重复扣款") == tok("重复扣款")
    assert clone == tok


def test_global_jieba_is_not_touched(tok):
    import jieba

    tok("支付宝重复扣款")
    assert jieba.dt.initialized is False or "重复扣款" not in jieba.dt.FREQ


@pytest.mark.slow  # a fresh process builds jieba's dictionary cache from scratch
def test_silent_and_no_shared_temp_cache(tmp_path):
    """A fresh process tokenises without printing and caches only in our own directory."""
    code = "from classifier.text.tokenizer import JiebaTokenizer; print(JiebaTokenizer(backend='jieba')('付款失败'))"
    shared = Path(tempfile.gettempdir()) / "jieba.cache"
    before = shared.stat().st_mtime if shared.exists() else None
    env = {"COMPLAINT_CLASSIFIER_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert proc.stderr == ""
    assert proc.stdout.strip() == "['付款失败']"
    assert (tmp_path / "cache" / "jieba.cache").exists()
    after = shared.stat().st_mtime if shared.exists() else None
    assert before == after


def test_fingerprint_depends_on_settings():
    assert JiebaTokenizer().fingerprint() != JiebaTokenizer(hmm=True).fingerprint()
    assert JiebaTokenizer().fingerprint() == JiebaTokenizer().fingerprint()


def test_backend_choice():
    assert JiebaTokenizer(backend="jieba").backend_in_use() == "jieba"
    assert JiebaTokenizer(backend="auto", hmm=True).backend_in_use() == "jieba"  # rjieba's HMM differs
    assert JiebaTokenizer(backend="jieba").fingerprint() == JiebaTokenizer(backend="rjieba").fingerprint()


def test_rjieba_loads_without_its_default_tokenizer_and_imports_normally_afterwards():
    pytest.importorskip("rjieba")
    code = """
import sys
from classifier.text.tokenizer import JiebaTokenizer
tok = JiebaTokenizer(backend="rjieba", normalize=False)
first = tok("付款失败扣了钱")
assert "rjieba" not in sys.modules  # rjieba/__init__.py (and its 0.1 s default tokenizer) not run
import rjieba
assert rjieba.Jieba is sys.modules["rjieba.rjieba"].Jieba
assert "付款失败" in first and "付款失败" not in rjieba.cut("付款失败扣了钱", False)  # our words stay ours
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_a_model_trained_with_other_dictionaries_is_refused(tmp_path):
    JiebaTokenizer().check_fingerprint(JiebaTokenizer().fingerprint(), tmp_path)
    JiebaTokenizer().check_fingerprint(None, tmp_path)  # old sidecars without one
    with pytest.raises(ModelVersionError, match="dictionaries differ"):
        JiebaTokenizer().check_fingerprint("0" * 64, tmp_path)


def test_asking_for_rjieba_without_the_extra_names_the_install(monkeypatch):
    import classifier.text.tokenizer as tokenizer

    monkeypatch.setattr(tokenizer, "_rjieba_installed", lambda: False)
    with pytest.raises(MissingExtraError, match=r"complaint-classifier\[fast\]"):
        JiebaTokenizer(backend="rjieba").backend_in_use()
    with pytest.raises(ImportError):  # still what callers of old caught
        JiebaTokenizer(backend="rjieba").backend_in_use()


# rjieba against jieba (tokens and predictions) and the one-call batch tokenizer are checked in
# tests/test_equivalence.py
