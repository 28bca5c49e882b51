"""Config layers in an emitted project, on both twins: configs/experiment/<name>.yaml and
configs/env/<name>.yaml over configs/ with the precedence base -> experiment -> env ->
command line, `${oc.env:...}` in an env file, --print-config naming where each value
came from, and each mistake in one line (exit 2) with the closest names.

Only the config is composed here (--print-config): no backend loads, each call takes
a fraction of a second. Saved configs of real runs (--config, ckpt_path=) are in
test_stages.py.
"""

import pytest
import yaml

from tests.conftest import run
from tests.test_emitted_trains import BACKENDS

EXPERIMENT = """\
# a test's experiment: picks a group option and sets keys the env and command line cross
defaults:
  scheduler: step
trainer:
  max_epochs: 7
  log_every_n_steps: 3
data:
  root: from-experiment
  batch_size: 16
"""


def shown(project, *args: str, env: dict | None = None) -> tuple[dict, dict]:
    """The composed config --print-config prints, and each key's source comment."""
    result = run(["train.py", *args, "--print-config"], project, env=env)
    assert result.returncode == 0, result.stderr
    sources, path = {}, []
    for line in result.stdout.splitlines():
        body, _, source = line.partition("  # ")
        depth = (len(body) - len(body.lstrip())) // 2
        if body.strip().startswith("- ") or ":" not in body:
            continue  # a line of a list of mappings (stages)
        path = [*path[:depth], body.strip().split(":")[0]]
        if source:
            sources[".".join(path)] = source.strip()
    return yaml.safe_load(result.stdout), sources


@pytest.mark.parametrize("backend", BACKENDS)
def test_precedence_base_experiment_env_command_line(golden_copy, backend):
    project = golden_copy(f"{backend}-lenet-digits")
    (project / "configs/experiment/mine.yaml").write_text(EXPERIMENT)
    args = ["env=docker", "experiment=mine", "data.batch_size=8"]  # env after, always
    cfg, sources = shown(project, *args, env={"DATA_ROOT": "/from/env"})
    assert cfg["scheduler"]["name"] == "step"  # the experiment's pick of an option
    assert sources["scheduler.step_size"] == "configs/scheduler/step.yaml"
    assert cfg["trainer"]["max_epochs"] == 7  # experiment over base
    assert sources["trainer.max_epochs"] == "configs/experiment/mine.yaml"
    assert cfg["data"]["root"] == "/from/env"  # env over experiment, via ${oc.env:}
    assert sources["data.root"] == "configs/env/docker.yaml"
    assert cfg["data"]["batch_size"] == 8  # the command line over everything
    assert sources["data.batch_size"] == "command line: data.batch_size=8"
    assert sources["seed"] == "configs/config.yaml"
    assert sources["model.name"] == "configs/model/lenet.yaml"
    assert (cfg["experiment"], cfg["env"]) == ("mine", "docker")  # a run's config says
    # A group option on the command line wins over the experiment's pick too.
    cfg, _ = shown(project, "experiment=mine", "scheduler=none")
    assert cfg["scheduler"] == {"name": "none"}
    assert cfg["data"]["root"] == "from-experiment"  # no env: the experiment's


def test_env_files_read_the_environment(golden_copy):
    project = golden_copy("lightning-lenet-digits")
    variables = {"SLURM_CPUS_PER_TASK": "6", "RUNS_DIR": "/scratch/runs"}
    cfg, sources = shown(project, "env=cluster", env=variables)
    assert cfg["data"]["num_workers"] == 6  # a number, decoded from the variable
    assert cfg["output_dir"] == "/scratch/runs"
    assert sources["trainer.accelerator"] == "configs/env/cluster.yaml"
    cfg, _ = shown(project, "env=cluster", env={"SLURM_CPUS_PER_TASK": None})
    assert cfg["data"]["num_workers"] == "auto"  # the default when it is unset
    cfg, _ = shown(project, "experiment=long", "env=docker")
    assert cfg["scheduler"]["name"] == "cosine" and cfg["data"]["root"] == "/app/data"
    cfg, sources = shown(project, "env=local")
    assert cfg["trainer"]["devices"] == 1
    assert sources["trainer.devices"] == "configs/env/local.yaml"
    helped = run(["train.py", "--help"], project)
    assert "experiment finetune, long" in helped.stdout
    assert "env        cluster, docker, local" in helped.stdout


@pytest.mark.parametrize(
    "args, file, message",
    [
        (
            ["experiment=fintune"],
            "",
            "no experiment option 'fintune'. Did you mean finetune?",
        ),
        (["env=clustr"], "", "no env option 'clustr'. Did you mean cluster?"),
        (
            ["experiment=mine"],
            "trainer:\n  max_epoch: 3\n",
            "unknown key 'trainer.max_epoch' in configs/experiment/mine.yaml. Did you"
            " mean trainer.max_epochs?",
        ),
        (
            ["experiment=mine"],
            "defaults:\n  schedulr: step\n",
            "configs/experiment/mine.yaml: defaults names no group 'schedulr'. Did you"
            " mean scheduler?",
        ),
        (["experiment=mine"], "- a list\n", "configs/experiment/mine.yaml must hold"),
    ],
)
def test_mistakes_in_layers_are_one_line(golden_copy, args, file, message):
    project = golden_copy("lightning-lenet-digits")
    (project / "configs/experiment/mine.yaml").write_text(file)
    result = run(["train.py", *args, "--print-config"], project)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert not (project / "runs").exists()
