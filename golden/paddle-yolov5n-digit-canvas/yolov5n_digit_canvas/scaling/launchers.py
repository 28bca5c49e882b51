"""Which launcher started this process, read from the variables it sets, so that a run
under torchrun, SLURM or paddle.distributed.launch needs no flag and no code change.

The tests are those of Lightning's SLURMEnvironment and TorchElasticEnvironment, which
the Lightning twin's Trainer then uses (record.json names both).
"""

import os
from collections.abc import Mapping

TORCHRUN = ("RANK", "GROUP_RANK", "LOCAL_RANK", "LOCAL_WORLD_SIZE")
INTERACTIVE_SLURM = ("bash", "interactive")  # salloc's shell: not a batch of tasks
RANKS = ("RANK", "LOCAL_RANK", "SLURM_PROCID", "PADDLE_TRAINER_ID")


def main_process(env: Mapping[str, str] = os.environ) -> bool:
    """Rank 0 of a run, or its only process: the one that prints and asks."""
    return all(env.get(name, "0") == "0" for name in RANKS)


def launcher(env: Mapping[str, str] = os.environ) -> dict:
    """{launcher, nodes, processes_per_node, rank, job}: how this run was started."""
    if "PADDLE_TRAINER_ID" in env:  # first: paddle's launcher may run inside srun
        processes = int(env.get("PADDLE_TRAINERS_NUM", 1))
        nodes = int(env.get("PADDLE_NNODES", 1))
        return {
            "launcher": "paddle.distributed.launch",
            "nodes": nodes,
            "processes_per_node": max(processes // nodes, 1),
            "rank": int(env["PADDLE_TRAINER_ID"]),
            "job": env.get("PADDLE_JOB_ID"),
        }
    if "SLURM_NTASKS" in env and env.get("SLURM_JOB_NAME") not in INTERACTIVE_SLURM:
        nodes = int(env.get("SLURM_NNODES", 1))
        tasks = int(env["SLURM_NTASKS"])
        per_node = env.get("SLURM_NTASKS_PER_NODE", str(tasks // nodes))
        return {
            "launcher": "slurm",
            "nodes": nodes,
            "processes_per_node": int(per_node.split("(")[0]),  # "2(x3)": 2 each
            "rank": int(env.get("SLURM_PROCID", 0)),
            "job": env.get("SLURM_JOB_ID"),
        }
    if all(name in env for name in TORCHRUN):
        per_node = int(env["LOCAL_WORLD_SIZE"])
        return {
            "launcher": "torchrun",
            "nodes": int(env.get("WORLD_SIZE", per_node)) // per_node,
            "processes_per_node": per_node,
            "rank": int(env["RANK"]),
            "job": env.get("TORCHELASTIC_RUN_ID"),
        }
    return {"launcher": "local", "nodes": 1, "processes_per_node": None, "rank": 0}


def layout(trainer, env: Mapping[str, str] = os.environ) -> dict:
    """trainer.devices and trainer.num_nodes, `auto` read from the launcher: left so in
    config.yaml, so that a run resumed on another layout finds its own."""
    found = launcher(env)
    devices, nodes = trainer.devices, trainer.num_nodes
    if devices == "auto" and found["processes_per_node"]:
        devices = found["processes_per_node"]  # one process per task
    return {
        "devices": devices,
        "num_nodes": found["nodes"] if nodes == "auto" else nodes,
    }


def external_worker(env: Mapping[str, str] = os.environ) -> bool:
    """A process of rank > 0 that a launcher started beside rank 0 rather than as its
    child: it cannot learn rank 0's run directory, and must not make one of its own."""
    found = launcher(env)
    return found["launcher"] != "local" and found["rank"] > 0
