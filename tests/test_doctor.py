"""`python doctor.py` of both twins on crafted machines: a ready one passes (exit 0, one
line per check); a wrong pin, a missing package, a GPU asked of a CPU-only wheel (or of
a machine whose driver torch cannot use), a full and a read-only run folder, a corrupt
and a missing dataset are each named with their fix (exit 1), and nothing is fetched;
train.py, stopped by the machine, names doctor.py on its last line. A launch or batch
plan train.py refuses, the doctor refuses with train.py's own line; /proc is no disk."""

import errno
import io
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import run
from tests.http_server import Faults, serve_faulty
from tests.test_emitted_trains import BACKENDS

CHECKS = ["python", "packages", "gpu", "precision", "launch", "threads", "disk"]
CHECKS += ["run folder", "inputs"]
FAKE_SMI = "#!/bin/sh\necho 'NVIDIA Doctor Test GPU, 999.99'\n"  # a driver, no GPU


def gpu_here() -> bool:
    import torch

    return torch.cuda.is_available()


def findings(result: subprocess.CompletedProcess) -> dict[str, list[dict]]:
    """--json's findings by check (disk may have a finding per disk)."""
    assert "Traceback" not in result.stderr, result.stderr
    found: dict[str, list[dict]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        found.setdefault(finding["check"], []).append(finding)
    return found


@contextmanager
def read_only_folder(tmp_path: Path):
    """A read-only disk where this machine lets us mount one (root writes through
    chmod), else a folder under /proc, which no one may make."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(folder)]
    try:
        mounted = subprocess.run(mount, capture_output=True).returncode == 0
    except OSError:
        mounted = False
    try:
        yield folder / "runs" if mounted else Path("/proc/doctor-runs")
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=False)


def crafted_environment(tmp_path: Path, project: Path) -> dict:
    """omegaconf's metadata says 2.3.0 (pinned 2.4.0) ahead of the real one, and
    nvidia-smi reports a driver on a machine where no GPU answers."""
    shadow = tmp_path / "shadow"
    info = shadow / "omegaconf-2.3.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: omegaconf\nVersion: 2.3.0\n"
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "nvidia-smi").write_text(FAKE_SMI)
    (bin_dir / "nvidia-smi").chmod(0o755)
    with (project / "requirements.txt").open("a") as requirements:
        requirements.write("doctor-test-absent==1.0\n")
    return {"PYTHONPATH": str(shadow), "PATH": f"{bin_dir}:{os.environ['PATH']}"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_finding_on_a_crafted_machine_with_its_fix(golden_copy, backend, tmp_path):
    project = golden_copy(f"{backend}-lenet-digits")
    env = crafted_environment(tmp_path, project)
    data = tmp_path / "data"
    if backend == "lightning":  # a corrupt MNIST file: it blocks
        (data / "MNIST" / "raw").mkdir(parents=True)
        (data / "MNIST" / "raw" / "train-images-idx3-ubyte.gz").write_bytes(b"junk")
    faults = Faults()  # what the mirror was asked for: nothing, it must stay
    with read_only_folder(tmp_path) as runs, serve_faulty(tmp_path, faults) as url:
        args = ["--json", "data=mnist", f"data.root={data}", f"output_dir={runs}"]
        args += ["trainer.accelerator=gpu", "trainer.precision=16-mixed"]
        args += [f"data.mirrors=[{url}]"]
        result = run(["doctor.py", *args], project, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    found = findings(result)
    assert list(found) == ["python", *CHECKS[1:], "data"]
    (packages,) = found["packages"]
    assert packages["status"] == "fail"  # a package missing blocks; another version not
    assert packages["found"] == (
        "missing: doctor-test-absent; different: omegaconf 2.3.0 (pinned 2.4.0)"
    )
    assert packages["fix"] == "pip install omegaconf==2.4.0 doctor-test-absent==1.0"
    if not gpu_here():
        (gpu,) = found["gpu"]
        assert gpu["status"] == "fail"
        assert gpu["found"].startswith("trainer.accelerator=gpu, but ")
        if backend == "paddle":  # the CPU wheel, on a machine with a driver
            assert (
                "paddlepaddle 3.3.1 is the CPU wheel (1 x NVIDIA Doctor Test GPU, driver 999.99)"
                in gpu["found"]
            )
            assert gpu["fix"].startswith(
                "pip uninstall -y paddlepaddle && pip install paddlepaddle-gpu==3.3.1 -i "
            )
        else:  # torch's CUDA build, and a driver it cannot use
            assert (
                "1 x NVIDIA Doctor Test GPU, driver 999.99, torch built for CUDA"
                in gpu["found"]
            )
            assert gpu["fix"].startswith("a driver for CUDA ")
        (precision,) = found["precision"]  # trainer.py's own words
        assert precision["status"] == "fail"
        assert precision["found"].startswith("trainer.precision=16-mixed needs a GPU")
    (folder,) = found["run folder"]
    assert folder["status"] == "fail" and folder["found"].startswith(
        f"output_dir={runs}: cannot write in "
    )
    assert any(
        d["status"] == "fail" and "output_dir" in d["found"] for d in found["disk"]
    )
    (dataset,) = found["data"]
    if backend == "lightning":
        assert dataset["status"] == "fail"
        assert dataset["found"].startswith(
            f"{data}/MNIST/raw/train-images-idx3-ubyte.gz is not the expected file (MD5 "
        )
    else:  # missing: a run downloads it; the doctor fetched nothing, made nothing
        assert dataset["status"] == "warn"
        assert (
            dataset["found"] == f"data=mnist is not in {data} yet; a run downloads it"
        )
        assert dataset["fix"].startswith("offline: put train-images-idx3-ubyte.gz, ")
        assert not data.exists()
    assert faults.requests == []


def test_a_container_quota_and_too_many_threads_are_named(
    golden_package, monkeypatch, tmp_path
):
    """cgroup v2's cpu.max of a container given half a core; then OMP_NUM_THREADS
    asking for more threads than there are cores."""
    threads = golden_package("lightning-lenet-digits", "doctor.threads")
    (tmp_path / "cpu.max").write_text("50000 100000\n")
    monkeypatch.setattr(threads, "QUOTA_FILES", [(tmp_path / "cpu.max", None)])
    finding = threads.check(None)
    assert finding.status == "warn"
    assert finding.found.startswith("1 cores usable (")
    assert finding.found.endswith(
        "; the container allows 0.5 cores' time of the"
        f" {len(os.sched_getaffinity(0))} it shows"
    )
    assert finding.fix == "OMP_NUM_THREADS=1 python train.py data.num_workers=0"
    monkeypatch.setattr(threads, "QUOTA_FILES", [(tmp_path / "none", None)])
    monkeypatch.setattr(threads, "OMP_NUM_THREADS", "4096")
    finding = threads.check(None)
    assert finding.status == "warn" and finding.found.endswith(
        "; more threads than cores"
    )
    monkeypatch.setattr(threads, "OMP_NUM_THREADS", "1")
    assert "more threads" not in threads.check(None).found


def test_marks_a_terminal_cannot_show_are_plain(golden_package, monkeypatch):
    findings = golden_package("paddle-lenet-digits", "doctor.findings")
    said = [findings.Finding("disk", "fail", "0.1 GB free under output_dir=runs", "x")]
    assert findings.lines(said) == ["✗ disk  0.1 GB free under output_dir=runs; fix: x"]
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(io.BytesIO(), "ascii"))
    assert findings.lines(said) == ["x disk  0.1 GB free under output_dir=runs; fix: x"]


def test_a_config_library_that_cannot_read_the_schema_is_a_finding(
    golden_copy, tmp_path
):
    """omegaconf broken on the path (an omegaconf 2.3.0 fails reading the schema's
    Literal types): the doctor says so and runs the checks that need no config."""
    project = golden_copy("paddle-lenet-digits")
    broken = tmp_path / "broken" / "omegaconf"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('omegaconf 2.3.0 here')\n")
    result = run(
        ["doctor.py", "--json"], project, env={"PYTHONPATH": str(broken.parent)}
    )
    assert result.returncode == 1, result.stdout + result.stderr
    found = findings(result)
    (config,) = found.pop("config")
    assert config["status"] == "fail"
    assert config["found"] == "cannot read configs/ (ImportError: omegaconf 2.3.0 here)"
    assert config["fix"].startswith("pip install -r requirements.txt")
    assert [found[name][0]["status"] for name in ("python", "packages")] == ["ok", "ok"]
    for name in ("disk", "run folder", "data"):
        assert found[name][0]["found"] == "not checked: the config could not be read"


def test_a_mistake_in_the_arguments_is_one_line_as_in_train_py(golden_copy):
    project = golden_copy("paddle-lenet-digits")
    result = run(["doctor.py", "trainer.acelerator=gpu"], project)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error: unknown key 'trainer.acelerator'")
    assert "Did you mean trainer.accelerator?" in result.stderr
    shown = run(
        ["doctor.py", "--help"], project
    ).stdout  # its own flags, not train.py's
    assert "--json" in shown and "--config FILE" not in shown


def test_train_py_stopped_by_the_machine_names_doctor_py(golden_copy, tmp_path):
    """A pinned library whose install is broken (it raises at import, as a torchvision
    built for another torch does): the traceback, then one line naming doctor.py."""
    project = golden_copy("lightning-lenet-digits")
    broken = tmp_path / "broken" / "torchvision"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text(
        "raise ImportError('libc10_cuda.so: cannot open shared object file')\n"
    )
    env = {"PYTHONPATH": str(broken.parent)}
    result = run(["train.py", "trainer=debug"], project, env=env)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == (
        "error: ImportError: libc10_cuda.so: cannot open shared object file: the"
        " machine, not the config, stopped this run; python doctor.py says what to mend"
    )


def test_run_cli_tells_failures_of_the_machine_from_mistakes(
    golden_package, capsys, monkeypatch
):
    errors = golden_package("lightning-lenet-digits", "errors")
    # no thread raised a UserError on the way here: skip the 2 s wait for one
    monkeypatch.setattr(errors, "thread_cause", lambda error: error)

    def raising(error: BaseException):
        def main(argv):
            raise error

        return main

    def ended(error: BaseException) -> tuple[int, str]:
        with pytest.raises(SystemExit) as stop:
            errors.run_cli(raising(error))
        return stop.value.code, capsys.readouterr().err.rstrip().splitlines()[-1]

    cuda = RuntimeError("CUDA error: no kernel image is available for execution")
    assert ended(cuda) == (
        1,
        f"error: RuntimeError: {cuda}: the machine, not the config, stopped this run;"
        " python doctor.py says what to mend",
    )
    full = OSError(errno.ENOSPC, "No space left on device", "runs/x")
    code, line = ended(full)
    assert code == 2 and line.endswith("write; python doctor.py checks them)")
    code, line = ended(FileNotFoundError(errno.ENOENT, "No such file", "x"))
    assert code == 2 and "doctor" not in line  # a missing file is no machine's fault
    assert ended(errors.UserError("data.root=x: no such folder")) == (
        2,
        "error: data.root=x: no such folder",
    )
    oom = RuntimeError("CUDA out of memory.")
    for own in (oom, ImportError("x", name="lenet_digits.y")):
        with pytest.raises(type(own)):  # the run's own failures: as they were
            errors.run_cli(raising(own))


def test_every_line_that_is_not_fine_has_its_fix_and_a_closed_pipe_is_no_error(
    golden_copy,
):
    """What blocks names its fix: a precision the CPU lacks, a file as output_dir, a
    folder of images that is not there, a file as data.root. A reader that leaves
    (`doctor.py | head -1`) ends the doctor quietly, as a shell's pipe does."""
    project = golden_copy("lightning-lenet-digits")
    wrong = ["trainer.precision=16-mixed", "output_dir=README.md"]
    args = ["--json", *wrong, "data=mnist", "data.root=README.md"]
    result = run(["doctor.py", *args], project)
    found = findings(result)
    assert result.returncode == 1
    assert found["precision"][0]["fix"].startswith("trainer.precision=auto")
    assert found["run folder"][0]["fix"] == "set output_dir=<a folder>"
    assert found["data"][0]["found"].startswith("data.root=README.md: Not a directory")
    result = run(["doctor.py", "--json", "data=imagefolder", "data.root=nope"], project)
    assert findings(result)["data"][0]["status"] == "fail"
    bad = [f for f in json.loads(result.stdout)["findings"] if f["status"] != "ok"]
    assert bad and all(finding["fix"] for finding in bad), bad
    doctor = subprocess.Popen(
        [sys.executable, "doctor.py"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    doctor.stdout.close()  # gone before the doctor prints (torch takes seconds)
    assert doctor.wait(timeout=120) == 141 and doctor.stderr.read() == ""


# Each twin's doctor.py on a ready machine, then doctor.py --json and train.py on the
# same arguments, all in one process (the framework loads once): the scripts' own main
# through run_cli, as their command lines call it; what each printed and its exit code.
BOTH_SCRIPTS = """import contextlib, io, json, os, sys
import doctor, train
from lenet_digits.errors import run_cli
def ended(script, argv):
    out, err = io.TextIOWrapper(io.BytesIO(), "utf-8"), io.StringIO()
    sys.argv = [script.__name__ + ".py", *argv]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run_cli(script.main)
            code = 0
        except SystemExit as stop:
            code = stop.code
    out.flush()
    return [code, out.buffer.getvalue().decode(), err.getvalue()]
cases = json.loads(sys.argv[1])  # before ended() sets sys.argv
ready = ended(doctor, [])
refused = []
for args in cases:  # "ENV:NAME=value": a variable set for that case only
    env = dict(a[4:].split("=", 1) for a in args if a.startswith("ENV:"))
    args = [a for a in args if not a.startswith("ENV:")]
    os.environ.update(env)
    refused.append(
        {"doctor": ended(doctor, ["--json", *args]), "train": ended(train, args)}
    )
    for name in env:
        del os.environ[name]
print(json.dumps({"ready": ready, "refused": refused}))
"""
REFUSED_BY_BOTH = [  # the arguments, and how train.py's line starts
    (["scaling.effective_batch_size=33"], "scaling.effective_batch_size=33 is not a"),
    (["trainer.num_nodes=2"], "trainer.num_nodes=2: "),  # no launcher started more
    (["trainer.strategy=dpp"], "trainer.strategy=dpp"),
    (["ENV:LOCAL_RANK=1"], "LOCAL_RANK=1 is set without WORLD_SIZE"),  # by hand
]


def paddle_gpus() -> int:
    import paddle

    return paddle.device.cuda.device_count() if paddle.is_compiled_with_cuda() else 0


def torch_gpus() -> int:
    import torch

    return torch.cuda.device_count()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_ready_machine_passes_and_a_launch_train_py_refuses_fails_in_its_words(
    golden_copy, backend
):
    """A ready machine: exit 0, one line per check. The launch check calls the twin's
    own check_launch and batch plan: where train.py stops (exit 2, one line, no run
    directory), the doctor's launch line is that line, marked blocking (exit 1)."""
    project = golden_copy(f"{backend}-lenet-digits")
    cases = list(REFUSED_BY_BOTH)
    if backend == "paddle" and paddle_gpus() < 2:  # DDP needs GPUs on paddle
        ddp = ["trainer=ddp", "trainer.devices=2"]
        why = "this machine has " if paddle_gpus() else "paddle trains on one CPU"
        cases.append((ddp, f"trainer.devices=2: {why}"))
    foreign = {"lightning": "PADDLE_TRAINER_ID=0", "paddle": "PADDLE_TRAINERS_NUM=2"}
    cases.append(([f"ENV:{foreign[backend]}"], foreign[backend]))  # whose launcher
    gpus = torch_gpus() if backend == "lightning" else paddle_gpus()
    if backend == "lightning" and not gpus:  # a process a core; fsdp shards GPUs
        cases.append((["trainer.devices=999999"], "trainer.devices=999999: that many"))
        cases.append((["trainer.strategy=fsdp"], "trainer.strategy=fsdp needs GPUs"))
    if not gpus:  # -1 and 0,1 name GPUs: both twins
        for devices in ("-1", "0,1"):
            refused = (
                f"trainer.devices={devices} picks GPUs, and this run is on the CPU"
            )
            cases.append(([f"trainer.devices={devices}"], refused))
    if backend == "paddle":  # its processes are one per GPU
        cpu = ["trainer.accelerator=cpu", "trainer.devices=2"]
        cases.append((cpu, "trainer.devices=2: paddle trains on one CPU process"))
    arguments = json.dumps([args for args, _ in cases])
    result = run(["-c", BOTH_SCRIPTS, arguments], project)
    assert result.returncode == 0, result.stderr
    ended = json.loads(result.stdout)
    code, out, err = ended["ready"]
    assert code == 0, out + err
    lines = out.splitlines()
    assert [line.split("  ")[0][2:].strip() for line in lines] == [*CHECKS, "data"]
    assert all(line[0] in "✓!" for line in lines), out
    assert lines[-1] == "✓ data        data=digits ships with scikit-learn"
    assert "fix:" not in lines[1]  # the installed packages are the pinned ones
    assert lines[4].startswith("✓ launch      batch: 32 a process (as set) x 1 ")
    for (args, start), said in zip(cases, ended["refused"], strict=True):
        code, out, err = said["train"]
        assert code == 2 and out == "", (args, out, err)
        assert err.startswith(f"error: {start}"), (args, err)
        assert err.count("\n") == 1, (args, err)  # one line
        code, out, _ = said["doctor"]
        assert code == 1, (args, out)
        (launch,) = [f for f in json.loads(out)["findings"] if f["check"] == "launch"]
        assert launch["status"] == "fail" and launch["fix"], (args, launch)
        assert launch["found"] == err.removeprefix("error: ").strip(), args
    assert not (project / "runs").exists()


def test_the_checkpoint_weights_and_terminal_a_command_names(golden_package, tmp_path):
    """What train.py would refuse before training: the doctor says it in its words."""
    from omegaconf import OmegaConf

    inputs = golden_package("paddle-lenet-digits", "doctor.inputs")
    weights = tmp_path / "w.pdparams"
    weights.write_bytes(b"weights")
    quiet = {"post_mortem": False, "break_at": None}
    cases = [  # ckpt_path, model.pretrained, debug; what the doctor says
        (None, False, quiet, "ok", "none named"),
        (None, str(weights), quiet, "ok", f"model.pretrained={weights} found"),
        ("/no/last.pdparams", False, quiet, "fail", "ckpt_path=/no/last.pdparams:"),
        (None, "/no/w.pth", quiet, "fail", "model.pretrained=/no/w.pth: no such file"),
        (None, False, {**quiet, "post_mortem": True}, "fail", "debug=ipdb needs a"),
    ]
    for ckpt, pretrained, debug, status, said in cases:
        model = {"pretrained": pretrained}
        cfg = OmegaConf.create({"ckpt_path": ckpt, "model": model, "debug": debug})
        found = inputs.check(cfg)  # pytest's stdin is no terminal, as a job's
        assert (found.status, found.found.startswith(said)) == (status, True), found


@pytest.mark.parametrize("backend", ["lightning", "paddle"])
def test_a_checkpoint_train_py_would_refuse_is_refused_here(
    golden_package, tmp_path, backend
):
    """Cut short, another kind of file, the other twin's: in train.py's words."""
    from omegaconf import OmegaConf

    inputs = golden_package(f"{backend}-lenet-digits", "doctor.inputs")
    mine, other = (".ckpt", ".pdparams")[:: 1 if backend == "lightning" else -1]
    (tmp_path / f"cut{mine}").write_bytes(b"PK\x03\x04 cut short")
    (tmp_path / "README.md").write_text("# not a checkpoint")
    (tmp_path / f"theirs{other}").write_bytes(b"weights")
    said = {
        f"cut{mine}": "is not a whole checkpoint" if mine == ".ckpt" else "has no",
        "README.md": "is not a" if mine == ".ckpt" else "is not a .pdparams",
        f"theirs{other}": "PaddlePaddle" if mine == ".ckpt" else "PyTorch Lightning",
    }
    quiet = {"post_mortem": False, "break_at": None}
    for name, words in said.items():
        ckpt = str(tmp_path / name)
        model = {"pretrained": False}
        cfg = OmegaConf.create({"ckpt_path": ckpt, "model": model, "debug": quiet})
        found = inputs.check(cfg)
        assert found.status == "fail" and words in found.found, (name, found)


def test_a_kernel_file_system_is_not_a_disk(golden_package, tmp_path):
    """/proc and /sys have no size at all: not "0 GB free", but not a disk."""
    from omegaconf import OmegaConf

    disk = golden_package("paddle-lenet-digits", "doctor.disk")
    data = {"name": "mnist", "root": "/sys/x"}
    cfg = OmegaConf.create({"data": data, "output_dir": "/proc/x"})
    found = {f.found: f for f in disk.check(cfg)}
    proc = found["output_dir=/proc/x: not a disk, /proc is a kernel file system (proc)"]
    assert (
        proc.status == "fail" and proc.fix == "point output_dir at a folder on a disk"
    )
    sysfs = found["data.root=/sys/x: not a disk, /sys is a kernel file system (sysfs)"]
    assert sysfs.status == "fail"
    cfg.data.root = str(tmp_path)
    (real,) = [f for f in disk.check(cfg) if "data.root" in f.found]
    assert "GB free under data.root=" in real.found  # a disk's line, as before
    cfg.data = {"name": "digits", "root": "/sys/x"}  # read from scikit-learn's package
    assert [f.found.split(":")[0] for f in disk.check(cfg)] == ["output_dir=/proc/x"]


@pytest.mark.parametrize(
    "backend, script, args, said",
    [
        (
            "lightning",
            "doctor.py",
            ["--jsn"],
            "unknown flag --jsn; did you mean --json?",
        ),
        (
            "paddle",
            "train.py",
            ["--print-confg"],
            "unknown flag --print-confg; did you mean --print-config?",
        ),
        (
            "lightning",
            "doctor.py",
            ["output_dir="],
            "output_dir cannot be empty in the argument 'output_dir=': give it a value,"
            " e.g. output_dir=runs",
        ),
        (
            "paddle",
            "train.py",
            ["output_dir="],
            "output_dir cannot be empty in the argument 'output_dir=': give it a value,"
            " e.g. output_dir=runs",
        ),
        (
            "paddle",
            "doctor.py",
            ["--JSON"],
            "unknown flag --JSON; did you mean --json?",
        ),
        (
            "lightning",
            "train.py",
            ["output_dir=''"],  # quoted: an empty string, not nothing
            "output_dir= is not allowed: must name a folder, e.g. runs or data",
        ),
        (
            "paddle",
            "doctor.py",
            ["--json", "--print-config"],
            "--json and --print-config go one at a time: --print-config prints the"
            " config as YAML, each value with its source; --json prints the findings",
        ),
    ],
)
def test_a_mistyped_flag_or_an_empty_folder_is_one_line(
    golden_copy, backend, script, args, said
):
    """Said before torch or paddle loads, by the CLI train.py, tune.py and the doctor
    share; nothing printed on stdout, nothing made."""
    project = golden_copy(f"{backend}-lenet-digits")
    result = run([script, *args], project)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr == f"error: {said}\n"
    assert not (project / "runs").exists()


def test_ctrl_c_mid_check_is_one_line_and_exit_130(golden_copy):
    """A script with nothing to stop cleanly (doctor.py here; every script runs under
    errors.run_cli) ends on Ctrl-C in one line, not a KeyboardInterrupt traceback."""
    import signal
    import time

    project = golden_copy("lightning-lenet-digits")
    doctor = subprocess.Popen(
        [sys.executable, "doctor.py"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # in main's imports of the framework (the checks take seconds)
    doctor.send_signal(signal.SIGINT)
    _, err = doctor.communicate(timeout=60)
    assert (doctor.returncode, err) == (130, "stopped by Ctrl-C\n"), err
