"""The closing lines of train.py and eval.py (records/summary.py, shared by the twins):
every overall metric aligned, then the per-class metrics (test/iou/<class>,
test/ap/<class>) as one table with a row per class, in the dataset's order."""

import pytest

GOLDEN = "lightning-unet-digit-canvas"


@pytest.fixture(scope="module")
def report(golden_package):
    return golden_package(GOLDEN, "records.summary").report


def lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_overall_metrics_are_aligned_and_sorted(report, capsys):
    report("run: runs/x", {"test/loss": 0.25, "test/acc": 0.9})
    assert lines(capsys) == [
        "",
        "run: runs/x",
        "  test/acc   0.9000",
        "  test/loss  0.2500",
    ]


def test_per_class_metrics_become_a_table_in_logged_order(report, capsys):
    metrics = {
        "test/miou": 0.5,
        "test/iou/background": 0.99,
        "test/iou/traffic light": 0.25,
    }
    metrics |= {"test/iou/7": 0.5}
    report("checkpoint: best.ckpt", metrics)
    out = lines(capsys)
    assert out[:3] == ["", "checkpoint: best.ckpt", "  test/miou  0.5000"]
    assert out[3:] == [
        "",
        "  class          test/iou",
        "  background     0.9900",
        "  traffic light  0.2500",
        "  7              0.5000",
    ]


def test_a_class_without_a_value_in_one_column_shows_a_dash(report, capsys):
    report("run: r", {"test/ap/cat": 0.4, "test/ap/dog": 0.6, "test/ar/cat": 0.3})
    table = lines(capsys)[-3:]
    assert table == [
        "  class  test/ap  test/ar",
        "  cat    0.4000   0.3000",
        "  dog    0.6000   -",
    ]
    # no per-class metric, no table
    report("run: r", {"test/acc": 1.0})
    assert "class" not in capsys.readouterr().out
