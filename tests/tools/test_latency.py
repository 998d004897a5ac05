"""Single-text latency, as ``bench`` times it in a fresh process."""

import json
import subprocess
import sys
import time

import pytest

from classifier.errors import InvalidParameterError
from classifier.tools.latency import latencies


def test_latencies_are_the_median_and_the_99th_percentile_of_the_calls():
    def classify(text):
        time.sleep(0.02 if text == "慢" else 0)

    p50, p99 = latencies(classify, ["快"] * 99 + ["慢"])
    assert p50 < 5 and p99 >= 20  # ms: the one slow call is the 99th percentile, not the median


def test_latencies_refuse_no_texts():
    with pytest.raises(InvalidParameterError, match="at least one text"):
        latencies(len, [])


def test_the_fresh_process_times_every_pass_without_the_benchmarks_libraries(tmp_path):
    # the point of the fresh process: a user's program that calls classify() holds no pandas or
    # scikit-learn (and their thread pools), which the benchmark's own process does
    path = tmp_path / "texts.json"
    path.write_text(json.dumps(["付款失败扣了钱", "会员开了视频一直黑屏"], ensure_ascii=False), "utf-8")
    script = (
        "import sys; from classifier.tools.latency import main; main(sys.argv[1:]); "
        "print(sorted(m for m in ('pandas', 'sklearn', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path), "2"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    passes = json.loads(out[0])
    assert len(passes) == 2 and all(0 < p50 <= p99 for p50, p99 in passes)
    assert out[1] == "[]"
