"""`python train.py debug=ipdb` and `debug.break_at` on both twins, driven through a
real terminal (pexpect): ipdb stops at the hook with the batch and the model in scope,
`c` trains on into a real bug (a layer resized by hand), ipdb opens in the step that
raised with the batch and the model in scope, `q` ends the run, recorded as failed."""

import json
import os
import subprocess
import sys

import pexpect
import pytest

# backend: (hook, the model's class at the hook, the batch's name in the step frame)
TWINS = {
    "lightning": ("val_batch", "Classifier", "batch"),  # the sanity check's first
    "paddle": ("train_batch", "Model", "data"),  # paddle.Model's loop holds `data`
}
BUG = ("nn.Linear(120, 84)", "nn.Linear(100, 84)")  # the next layer gets 120 features


def session_env(tmp_path) -> dict:
    return {
        **os.environ,
        "TERM": "dumb",  # prompt_toolkit answers plainly, no cursor queries
        "IPYTHONDIR": str(tmp_path / "ipython"),  # IPython's profile, not the home's
        "PYTHONUNBUFFERED": "1",
        "OMP_NUM_THREADS": "1",
    }


def ask(child: pexpect.spawn, command: str, answer: str) -> None:
    child.sendline(command)
    child.expect_exact(answer)
    child.expect_exact("ipdb>")


@pytest.mark.parametrize("backend", sorted(TWINS))
def test_ipdb_stops_at_the_hook_and_at_the_first_exception(
    backend, golden_copy, tmp_path
):
    hook, model_class, batch_name = TWINS[backend]
    project = golden_copy(f"{backend}-lenet-digits")
    lenet = project / "lenet_digits" / "models" / "lenet.py"
    assert BUG[0] in lenet.read_text()
    lenet.write_text(lenet.read_text().replace(*BUG))
    args = ["train.py", "trainer=debug", "debug=ipdb", f"debug.break_at={hook}"]
    child = pexpect.spawn(
        sys.executable,
        args,
        cwd=project,
        env=session_env(tmp_path),
        encoding="utf-8",
        timeout=120,
    )
    try:
        child.expect_exact(f"debug.break_at={hook}: `batch` and `model` are in scope")
        child.expect_exact("ipdb>")
        ask(
            child,
            "p tuple(batch[0].shape), type(model).__name__",
            f"((32, 1, 8, 8), '{model_class}')",
        )
        child.sendline("c")  # trains on, into the resized layer
        child.expect(r"ipdb: (RuntimeError|ValueError): .*120")
        step = "validation_step" if backend == "lightning" else "_run_one_epoch"
        child.expect_exact(f"ipdb: in {step}, where `{batch_name}` is the batch")
        child.expect_exact("ipdb>")
        ask(
            child,
            f"p tuple({batch_name}[0].shape), type(self).__name__",
            f"((32, 1, 8, 8), '{model_class}')",
        )
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 1, child.before
    assert "IPython" not in child.before  # the traceback, not IPython's crash report
    (record,) = (project / "runs").glob("*/record.json")
    assert json.loads(record.read_text())["status"].startswith("failed")


@pytest.mark.parametrize(
    "backend, args, message",
    [
        ("lightning", ["debug=ipdb"], "debug=ipdb needs a terminal to type in"),
        ("paddle", ["debug.break_at=train_batch"], "debug.break_at=train_batch needs"),
        (
            "lightning",
            ["debug.break_at=first"],
            "expected one of ['train_batch', 'val_batch']",
        ),
    ],
)
def test_debugging_without_a_terminal_or_a_known_hook_is_refused(
    backend, args, message, golden_copy
):
    """From a job or a pipe ipdb could never be answered: one line, exit 2, no run."""
    project = golden_copy(f"{backend}-lenet-digits")
    done = subprocess.run(
        [sys.executable, "train.py", *args],
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (project / "runs").exists()


def test_debugging_is_the_commands_choice_even_over_a_saved_config(golden_package):
    """`python train.py ckpt_path=... debug=ipdb` debugs a resumed run; a saved run's
    own debug settings never come back with it, and a config saved before debug=
    existed still composes."""
    from omegaconf import OmegaConf

    compose = golden_package("lightning-lenet-digits", "config.compose").compose
    resume = golden_package("lightning-lenet-digits", "config.resume")
    saved = OmegaConf.to_container(compose(["debug=ipdb"]), resolve=True)
    assert saved["debug"] == {"post_mortem": True, "break_at": None}
    again = compose(["debug.break_at=val_batch"], saved)
    assert dict(again.debug) == {"post_mortem": False, "break_at": "val_batch"}
    resume.check_resume(compose(["debug=ipdb"], saved), saved)
    del saved["debug"]  # a run of this project before debug= existed
    assert compose(["debug=ipdb"], saved).debug.post_mortem is True


def test_only_rank_0_stops_one_terminal_one_debugger(golden_package, monkeypatch):
    """Under DDP every process reaches the hook; only rank 0 opens ipdb (the others
    wait for it at their next collective)."""
    stop = golden_package("lightning-lenet-digits", "debugging.stop")
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert stop.stop_at("train_batch", batch=None, model=None) is None  # no prompt
    launchers = golden_package("lightning-lenet-digits", "scaling.launchers")
    assert not launchers.main_process() and launchers.main_process({"RANK": "0"})


def test_q_at_a_break_is_the_users_stop_as_ctrl_c_is(golden_copy, tmp_path):
    """`q` at a debug.break_at prompt ends the run as Ctrl-C does: recorded
    `interrupted` (by q in ipdb, not `failed: BdbQuit`), one line, exit code 130.
    Lightning's: its trainer passes the debugger's BdbQuit through its own handler;
    the record's code is the twins' shared records/record.py."""
    hook = TWINS["lightning"][0]
    project = golden_copy("lightning-lenet-digits")
    child = pexpect.spawn(
        sys.executable,
        ["train.py", "trainer=debug", f"debug.break_at={hook}"],
        cwd=project,
        env=session_env(tmp_path),
        encoding="utf-8",
        timeout=120,
    )
    try:
        child.expect_exact("ipdb>")
        child.sendline("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 130, child.before
    assert "Traceback" not in child.before and "BdbQuit" not in child.before
    last = child.before.strip().splitlines()[-1]
    assert last.startswith("interrupted by q in ipdb at epoch "), child.before
    (record,) = (project / "runs").glob("*/record.json")
    record = json.loads(record.read_text())
    assert record["status"] == "interrupted"
    assert record["interrupted"]["by"] == "q in ipdb"
