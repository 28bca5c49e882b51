"""What a resumed run may change: `python train.py ckpt_path=runs/<run>/checkpoints/last.*`
continues that run from its own config, with only the keys below open to change.

Everything else shapes what is learned (model, data, optimizer, schedule, seed) and
stays as the run began; to change it, start a new run from the weights instead
(model.pretrained=<the checkpoint>). A one-cycle or cosine schedule is planned for the
run's length, so those runs cannot grow longer either; step and none can.
eval.py and predict.py take a checkpoint's config too, and may change anything but
what its weights were trained as (TRAINED).
"""

from omegaconf import DictConfig, OmegaConf

from ..errors import UserError
from .files import options_of
from .where_and_how import WHERE_AND_HOW, flat, under

# Where and how it runs, and what only extends or watches it: max_epochs grows a run
# (not a planned schedule's, below), devices and precision move it to other hardware.
# A resumed run goes on in the tracker runs it began: their sections stay.
OPEN = tuple(key for key in WHERE_AND_HOW if key not in ("mlflow", "wandb"))
OPEN += ("checkpoint.early_stopping_patience",)
OPEN += ("data.url", "data.verify_checksums")  # the dataset is there by then
OPEN += tuple(f"trainer.{key}" for key in ("max_epochs", "max_steps", "devices"))
OPEN += ("trainer.precision", "trainer.limit_val_batches", "trainer.limit_test_batches")
PLANNED = ("cosine", "onecycle")  # schedules fixed to the run's length
TRAINED = ("model.", "data.name", "data.channels", "data.image_size")


def check_resume(cfg: DictConfig, saved: dict) -> None:
    """Refuse, by name, a change a resumed run cannot take."""
    now = flat(OmegaConf.to_container(cfg, resolve=True))
    before = flat(saved)
    fresh = "start a new run from its weights: model.pretrained=<the checkpoint>"
    for key in sorted(now):
        if not under(key, OPEN) and now[key] != before.get(key):
            raise UserError(
                f"{key}={now[key]}: a resumed run keeps {key}={before.get(key)}; {fresh}"
            )
    schedule = cfg.scheduler.name
    for key in ("trainer.max_epochs", "trainer.max_steps"):
        if schedule in PLANNED and now[key] != before.get(key):
            raise UserError(
                f"{key}={now[key]}: this run's {schedule} schedule is planned for"
                f" {key}={before.get(key)}; resume with that, or {fresh}"
            )


def check_trained_as(cfg: DictConfig, saved: dict) -> None:
    """eval.py, predict.py: refuse, by name, a change to what the weights were."""
    now, before = flat(OmegaConf.to_container(cfg, resolve=True)), flat(saved)
    for key in sorted(now):
        if key.startswith(TRAINED) and now[key] != before.get(key):
            raise UserError(
                f"{key}={now[key]}: this checkpoint was trained with"
                f" {key}={before.get(key)}, and is tested and used as it was trained"
            )


def check_this_project(saved, given: str) -> None:
    """A saved config (a checkpoint's, or --config FILE's) from a project of another
    task or model family: said by its model, before any key of it is read."""
    model = saved.get("model") if hasattr(saved, "get") else None
    name = model.get("name") if hasattr(model, "get") else None
    if isinstance(name, str) and name not in (models := options_of("model")):
        data = saved.get("data")
        trained = f" on {data.get('name')}" if hasattr(data, "get") else ""
        raise UserError(
            f"{given} holds a {name} model trained{trained}, which this project does not"
            f" build (it builds {', '.join(models)}): give one of this project's runs"
        )
