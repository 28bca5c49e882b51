"""Which launcher started this process, read from the variables it sets, so that a run
under torchrun, SLURM or paddle.distributed.launch needs no flag and no code change.

The tests are those of Lightning's SLURMEnvironment and TorchElasticEnvironment, which
the Lightning twin's Trainer then uses (record.json names both).
"""

import os
import re
from collections.abc import Mapping

from .. import BACKEND
from ..errors import UserError
from .own_launchers import check_foreign, check_paddle_launch

TORCHRUN = ("RANK", "GROUP_RANK", "LOCAL_RANK", "LOCAL_WORLD_SIZE")
INTERACTIVE_SLURM = ("bash", "interactive")  # salloc's shell: not a batch of tasks
RANKS = ("RANK", "LOCAL_RANK", "SLURM_PROCID", "PADDLE_TRAINER_ID")
# A launcher sets each rank with the count of processes it started. A rank alone was
# set by hand or left in a shell from another job, and the run would take itself for a
# launched worker: above rank 0 it logs nothing, and with LOCAL_RANK=0 Lightning starts
# no DDP processes of its own (a launcher would have).
WORLDS = {"RANK": "WORLD_SIZE", "LOCAL_RANK": "WORLD_SIZE"}
WORLDS |= {"SLURM_PROCID": "SLURM_NTASKS", "PADDLE_TRAINER_ID": "PADDLE_TRAINERS_NUM"}
STARTED_BY = {"WORLD_SIZE": "torchrun", "SLURM_NTASKS": "srun"}
STARTED_BY["PADDLE_TRAINERS_NUM"] = "python -m paddle.distributed.launch"


def check_launch_variables(env: Mapping[str, str] = os.environ) -> None:
    """Each launcher variable as this process found it, before torch or paddle loads:
    paddle's import reads PADDLE_TRAINER_ID (a traceback when it is not a number), and
    Lightning sets LOCAL_RANK itself once it runs."""
    check_foreign(env)  # Lightning: paddle's launcher's variables
    for rank, world in WORLDS.items():
        alone = rank in env and world not in env
        if alone and (rank, env[rank]) != ("SLURM_PROCID", "0"):  # sbatch's script
            worker = (
                "its rank 0, that starts no processes of its own"
                if env[rank] == "0"
                else "one that logs nothing"
            )
            by = STARTED_BY["PADDLE_TRAINERS_NUM" if BACKEND == "paddle" else world]
            raise UserError(
                f"{rank}={env[rank]} is set without {world}: this run would take"
                f" itself for a launched worker ({worker}); unset {rank}, or start"
                f" train.py with {by}"
            )
        if rank in env:
            number(env, rank, 0, least=0)
            number(env, world, 1)
    # the variables of the launcher it finds, each checked; paddle's: all there
    check_paddle_launch(launcher(env), env)


def main_process(env: Mapping[str, str] = os.environ) -> bool:
    """Rank 0 of a run, or its only process: the one that prints and asks."""
    return all(env.get(name, "0") == "0" for name in RANKS)


def launcher(env: Mapping[str, str] = os.environ) -> dict:
    """{launcher, nodes, processes_per_node, rank, job}: how this run was started."""
    # first: paddle's launcher may run inside srun; the Lightning twin reads none of it
    if BACKEND == "paddle" and "PADDLE_TRAINER_ID" in env:
        processes = number(env, "PADDLE_TRAINERS_NUM", 1)
        nodes = number(env, "PADDLE_NNODES", 1)
        return {
            "launcher": "paddle.distributed.launch",
            "nodes": nodes,
            "processes_per_node": max(processes // nodes, 1),
            "rank": number(env, "PADDLE_TRAINER_ID", 0, least=0),
            "job": env.get("PADDLE_JOB_ID"),
        }
    if "SLURM_NTASKS" in env and env.get("SLURM_JOB_NAME") not in INTERACTIVE_SLURM:
        tasks = number(env, "SLURM_NTASKS", 1)
        if tasks > 1 and "SLURM_NTASKS_PER_NODE" not in env:  # Lightning's rule too
            raise UserError(
                f"SLURM_NTASKS={tasks} without SLURM_NTASKS_PER_NODE: ask SLURM for"
                " tasks per node (#SBATCH --ntasks-per-node, as scripts/slurm.sbatch"
                " does), not --ntasks alone"
            )
        return {
            "launcher": "slurm",
            "nodes": number(env, "SLURM_NNODES", 1),
            # "2(x3)": 2 tasks on each of 3 nodes
            "processes_per_node": number(env, "SLURM_NTASKS_PER_NODE", 1),
            "rank": number(env, "SLURM_PROCID", 0, least=0),
            "job": env.get("SLURM_JOB_ID"),
        }
    if all(name in env for name in TORCHRUN):
        per_node = number(env, "LOCAL_WORLD_SIZE", 1)
        world = number(env, "WORLD_SIZE", per_node)
        if world % per_node:
            raise UserError(
                f"WORLD_SIZE={world} is not a whole number of nodes of"
                f" LOCAL_WORLD_SIZE={per_node} processes: start the run with torchrun"
                " (--nnodes, --nproc-per-node), or unset these variables"
            )
        return {
            "launcher": "torchrun",
            "nodes": world // per_node,
            "processes_per_node": per_node,
            "rank": number(env, "RANK", 0, least=0),
            "job": env.get("TORCHELASTIC_RUN_ID"),
        }
    return {"launcher": "local", "nodes": 1, "processes_per_node": None, "rank": 0}


def number(env: Mapping[str, str], name: str, default: int, least: int = 1) -> int:
    """A launcher's variable as a whole number (SLURM's "2(x3)" reads 2), or one line
    naming it: a variable set by hand, or left from another job, is a common mistake."""
    text = env.get(name, str(default))
    found = re.fullmatch(r"(\d+)(\(x\d+\))?", text.strip())
    if not found or int(found.group(1)) < least:
        raise UserError(
            f"{name}={text} is not a whole number of at least {least}: a launcher sets"
            " it; set by hand or left from another job, correct or unset it"
        )
    return int(found.group(1))


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
