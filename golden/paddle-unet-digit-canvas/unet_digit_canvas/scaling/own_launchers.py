"""Each twin reads only the variables of the launchers it runs under: a Lightning run
under torchrun or SLURM, a Paddle run under python -m paddle.distributed.launch (one a
node: srun --ntasks-per-node=1 in scripts/slurm.sbatch). Another's variables, or paddle's
launcher's set in part (by hand, or left from another job), are one line here, before
the framework reads them and trains alone or fails on a missing one."""

from collections.abc import Mapping

from .. import BACKEND
from ..errors import UserError

# What python -m paddle.distributed.launch sets in each process it starts, together:
# paddle.distributed.init_parallel_env needs every one.
PADDLE_LAUNCH = ("PADDLE_TRAINER_ID", "PADDLE_TRAINERS_NUM", "PADDLE_CURRENT_ENDPOINT")
BY_PADDLE = "python -m paddle.distributed.launch"
PROCESSES = {"slurm": "SLURM_NTASKS", "torchrun": "WORLD_SIZE"}


def check_foreign(env: Mapping[str, str]) -> None:
    """Lightning: a variable of paddle's launcher, refused by name."""
    found = [name for name in PADDLE_LAUNCH if name in env]
    if found and BACKEND != "paddle":
        raise UserError(
            f"{found[0]}={env[found[0]]} is a variable of paddle's launcher ({BY_PADDLE}),"
            " foreign to this Lightning project: unset it, and start train.py with"
            " torchrun or srun"
        )


def check_paddle_launch(found: dict, env: Mapping[str, str]) -> None:
    """Paddle: its launcher's variables set in part, and processes srun or torchrun
    started (not paddle's launcher), each of which would train alone: refused."""
    if BACKEND != "paddle":
        return
    given = [name for name in PADDLE_LAUNCH if name in env]
    missing = [name for name in PADDLE_LAUNCH if name not in env]
    if given and missing:
        raise UserError(
            f"{given[0]}={env[given[0]]} is set without {', '.join(missing)}: {BY_PADDLE}"
            f" sets them together; unset {', '.join(given)}, or start train.py with"
            f" {BY_PADDLE}"
        )
    per_node = found["processes_per_node"] or 1
    if found["launcher"] in PROCESSES and found["nodes"] * per_node > 1:
        name = PROCESSES[found["launcher"]]
        name = (
            name if name in env else "LOCAL_WORLD_SIZE"
        )  # torchrun's WORLD_SIZE unset
        raise UserError(
            f"{name}={env.get(name)} ({found['launcher']}): each of these processes"
            f" would train alone; this Paddle project starts its processes with"
            f" {BY_PADDLE}, one launcher a node (srun --ntasks-per-node=1, as"
            " scripts/slurm.sbatch does)"
        )
