"""The GPU benchmark's hand-written loop runs (here on CPU) on format-exact CIFAR files."""

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

from bench import BENCHES
from tests.formats import cifar_archive
from tests.goldens import ROOT

HAND_LOOP = Path(__file__).parents[1] / "bench" / "hand_loop_cifar.py"


def test_hand_loop_reads_cifar_files_and_reports_each_epoch(tmp_path):
    with tarfile.open(fileobj=io.BytesIO(cifar_archive(64, 16))) as tar:
        tar.extractall(tmp_path, filter="data")
    cmd = [sys.executable, str(HAND_LOOP), str(tmp_path), "2", "--batch=16"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert len(report["epoch_s"]) == 2 and all(s > 0 for s in report["epoch_s"])
    assert 0 <= report["val_acc"] <= 1 and 0 <= report["test_acc"] <= 1
    assert report["script_s"] > sum(report["epoch_s"])


def test_bench_help_needs_no_copier():
    """`gpu --project` runs on machines with torch but without copier or pydantic."""
    code = (
        "import sys; sys.modules['copier'] = sys.modules['pydantic'] = None; "
        "sys.argv = ['bench', 'gpu', '--help']; import runpy; "
        "runpy.run_module('bench', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert "--project" in done.stdout


def test_every_bench_can_be_chosen():
    """A bench module that BENCHES leaves out cannot be run at all."""
    benches = {
        path.stem
        for path in (ROOT / "bench").glob("*.py")
        if "\ndef add_arguments(" in path.read_text()
    }
    assert set(BENCHES) == benches
