"""Other columns of a row (platform, date, order number, waybill number, amount, phone) fill in
the advice, in every batch path: files, DataFrames, records (Dask: tests/batch/test_dask_engine.py)."""

import csv
import json

import pandas as pd
import pytest

from classifier import classify_file, classify_frame
from classifier.advice.playbook import load_playbook
from classifier.batch.columns import fact_columns_of
from classifier.batch.frames import classify_records
from classifier.errors import ColumnNotFoundError, InvalidParameterError

SAMPLE_COLUMNS = ["编号", "投诉时间", "平台", "投诉内容"]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (SAMPLE_COLUMNS, {"date": "投诉时间", "platform": "平台"}),
        (
            ["text", "app", "date", "order_id", "amount", "phone"],
            {
                "platform": "app",
                "date": "date",
                "order_number": "order_id",
                "money": "amount",
                "phone": "phone",
            },
        ),
        (
            ["内容", "订单号", "金额（元）", "联系电话*"],
            {"order_number": "订单号", "money": "金额（元）", "phone": "联系电话*"},
        ),
        (["内容", "商家回复", "处理时长"], {}),  # names that only contain a fact word are not guessed
        (
            ["內容", "平臺", "投訴時間", "訂單號"],
            {"platform": "平臺", "date": "投訴時間", "order_number": "訂單號"},
        ),
        # a parcel's number, in simplified or traditional characters, apart from the order's
        (["内容", "订单号", "快递单号"], {"order_number": "订单号", "waybill": "快递单号"}),
        (["內容", "運單號（順豐）"], {"waybill": "運單號（順豐）"}),
        (["內容", "物流單號", "單號"], {"waybill": "物流單號", "order_number": "單號"}),
        (["text", "tracking_number"], {"waybill": "tracking_number"}),
    ],
)
def test_fact_columns_are_recognised_by_name(columns, expected):
    assert fact_columns_of(columns, None, columns[-1] if "投诉内容" in columns else columns[0]) == expected


def test_fact_columns_can_be_named_or_turned_off():
    columns = ["内容", "下单日", "店", "平台"]
    # a column named for a kind overrides that kind only: the others are still recognised by name
    assert fact_columns_of(columns, "下单日=date,店=platform") == {"date": "下单日", "platform": "店"}
    assert fact_columns_of(columns, ["平台"]) == {"platform": "平台"}
    assert fact_columns_of(columns, {"下单日": "date"}, "内容") == {"date": "下单日", "platform": "平台"}
    assert fact_columns_of(["内容", "投诉时间", "下单日"], "下单日=date", "内容") == {"date": "下单日"}
    assert fact_columns_of(["内容", "订单号", "备注"], "备注=platform", "内容") == {
        "platform": "备注",
        "order_number": "订单号",
    }
    assert fact_columns_of(columns, "none") == {} and fact_columns_of(columns, "") == {}
    with pytest.raises(ColumnNotFoundError, match="--fact-columns"):
        fact_columns_of(columns, "渠道")
    with pytest.raises(InvalidParameterError, match="店=KIND"):
        fact_columns_of(columns, "店")
    with pytest.raises(InvalidParameterError, match="'colour' is not a kind") as bad:
        fact_columns_of(columns, "店=colour")
    # the kinds as --fact-columns --help and the README name them
    assert str(bad.value).endswith("KIND one of platform, date, order, waybill, amount, phone")
    assert fact_columns_of(columns, "店=order,下单日=amount") == fact_columns_of(
        columns, "店=order_number,下单日=money"
    )
    assert fact_columns_of(columns, "店=waybill") == {"waybill": "店", "platform": "平台"}


def test_a_waybill_column_fills_the_parcels_evidence():
    text = "快递显示已经签收，可我根本没收到包裹，找快递员也不理"
    frame = pd.DataFrame({"投诉内容": [text, text], "快遞單號": ["SF1234567890123", ""]})
    out = classify_frame(frame)
    assert "快递单号（运单号，SF1234567890123）" in out["evidence"][0]
    assert "没有提到快递单号" not in out["missing_facts"][0] and "没有提到快递单号" in out["missing_facts"][1]


def test_the_bundled_sample_never_asks_for_a_filled_platform_or_date(tmp_path, root):
    out = tmp_path / "out.csv"
    summary = classify_file(root / "data" / "sample_complaints.csv", out)
    assert summary.fact_columns == {"date": "投诉时间", "platform": "平台"}
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    filled = [r for r in rows if r["status"] == "ok"]
    assert filled and not any(
        "哪个平台" in r["missing_facts"] or "平台或支付渠道" in r["missing_facts"] for r in filled
    )
    assert not any("日期" in r["missing_facts"] or "什么时候" in r["missing_facts"] for r in filled)


def test_without_fact_columns_the_text_alone_counts(tmp_path, root):
    out = tmp_path / "out.csv"
    classify_file(root / "data" / "sample_complaints.csv", out, fact_columns="none")
    rows = list(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert sum("哪个平台" in r["missing_facts"] for r in rows) > 10


FRAME = pd.DataFrame(
    {
        "投诉内容": ["付款显示失败但银行卡扣了钱", "付款显示失败但银行卡扣了钱", "昨晚视频一直黑屏", ""],
        "平台": ["淘宝", "京东", "爱奇艺", "淘宝"],
        "投诉时间": ["2024-03-02 21:14", "2024-03-03", "2024-03-02 22:40", None],
        "金额": ["199", 58.8, float("nan"), "5"],
        "订单号": ["A2024030200001", "", None, ""],
    }
)


def test_a_frame_uses_each_rows_own_facts():
    out = classify_frame(FRAME)
    assert "通过淘宝官方客服" in out["steps"][0] and "通过京东官方客服" in out["steps"][1]
    assert "¥199，2024年3月2日 21:14" in out["evidence"][0]
    assert "¥58.8，2024年3月3日" in out["evidence"][1]
    assert "订单号" not in out["missing_facts"][0] and "订单号" in out["missing_facts"][1]
    assert "2024年3月1日" in out["evidence"][2]  # 昨晚, counted from the row's date
    assert out["status"].tolist() == ["ok", "ok", "ok", "empty_text"]


def test_fact_columns_change_only_the_advice():
    with_facts, without = classify_frame(FRAME), classify_frame(FRAME, fact_columns="none")
    for column in ("category", "confidence", "reasons", "status"):
        assert with_facts[column].equals(without[column]), column
    assert not with_facts["missing_facts"].equals(without["missing_facts"])


def test_naming_one_fact_column_keeps_the_others_recognised_by_name(tmp_path):
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    frame = pd.DataFrame(
        {
            "投诉内容": ["付款失败但银行卡扣了199元"],
            "平台": ["淘宝"],
            "下单日": ["2024-03-02"],
            "订单号": ["E123456789"],
        }
    )
    frame.to_csv(source, index=False)
    summary = classify_file(source, out, fact_columns="下单日=date")
    assert summary.fact_columns == {"date": "下单日", "platform": "平台", "order_number": "订单号"}
    row = next(csv.DictReader(open(out, encoding="utf-8-sig")))
    assert "E123456789" in row["evidence"] and "2024年3月2日" in row["evidence"]
    assert "通过淘宝官方客服" in row["steps"]


def test_records_use_their_facts_too():
    records = FRAME.to_dict("records")
    out = classify_records(records, "投诉内容", columns="missing_facts")
    assert [r["missing_facts"] for r in out] == classify_frame(FRAME, columns="missing_facts")[
        "missing_facts"
    ].tolist()


def test_jsonl_output_has_arrays(tmp_path):
    source = tmp_path / "in.csv"
    FRAME.to_csv(source, index=False)
    out = tmp_path / "out.jsonl"
    classify_file(source, out)
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == 4
    first = rows[0]
    for column in ("evidence", "steps", "missing_facts"):
        assert isinstance(first[column], list) and all(isinstance(x, str) for x in first[column])
    assert first["reasons"] and set(first["reasons"][0]) == {"term", "weight"}
    assert rows[3]["status"] == "empty_text" and rows[3]["reasons"] == [] and rows[3]["steps"] == []
    # a list, not a "；"-joined cell split again: one item per step of the playbook
    assert len(first["steps"]) == len(load_playbook().category(first["category"]).steps)


def test_plain_text_input_and_forced_output_format(tmp_path, capsys):
    source = tmp_path / "complaints.txt"
    source.write_text("付款失败扣了钱\n\n会员视频一直黑屏\n", "utf-8")
    summary = classify_file(source, "-", output_format="jsonl")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert summary.rows == 2 and summary.text_column == "text"
    assert [r["category"] for r in rows] == ["payment", "service_interruption"]
