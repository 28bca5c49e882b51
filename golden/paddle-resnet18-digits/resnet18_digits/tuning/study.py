"""The search's study in its storage: created by the first worker, loaded by every
other and by a resume, and refused when it was begun otherwise: with another metric,
direction or space, or with trials that trained with other values (trainer.max_epochs,
data=...): their values would not compare. Where and how a worker runs (its paths,
loader workers, speed switches: config/where_and_how.py) may differ."""

import json

import optuna

from ..errors import UserError
from .storage import open_storage, pruner, sampler


def open_study(search, create: bool = True) -> optuna.Study:
    """The search's study; with create=False (--summary) one that exists, whatever
    the training arguments."""
    hpo = search.hpo
    storage = open_storage(hpo.storage, search.folder, hpo.heartbeat_s)
    where = hpo.storage or search.folder / "study.journal"
    names = optuna.get_all_study_names(storage)
    if not create and search.study not in names:
        others = f", or name one: hpo.study=({', '.join(names)})" if names else ""
        raise UserError(
            f"no study '{search.study}' in {where}: run the search first"
            f" (python tune.py hpo=...){others}"
        )
    study = optuna.create_study(
        storage=storage,
        study_name=search.study,
        direction=hpo.direction,
        sampler=sampler(hpo.sampler),
        pruner=pruner(hpo.pruner),
        load_if_exists=True,
    )
    asked = {"metric": hpo.metric, "direction": hpo.direction, "space": search.space}
    begun = study.user_attrs.get("search") or asked
    differs = changed({key: begun[key] for key in asked}, asked)
    if create and not differs:  # --summary reads the trials only: any arguments do
        if "trains" in begun:
            differs = changed(begun["trains"], search.trains)
        else:  # a new study, or one begun before its trials' values were kept
            study.set_user_attr("search", {**begun, "trains": search.trains})
    if differs:
        more = len(differs) - 5
        said = ", ".join(differs[:5]) + (f" and {more} more" if more > 0 else "")
        raise UserError(
            f"study '{search.study}' in {where} was begun with {said}: its trials"
            f" would not compare; rerun it as it was, or start another:"
            f" hpo.study={search.study}-2"
        )
    return study


def changed(was: dict, now: dict) -> list[str]:
    """`key=value it was begun with (now value)` for each key that differs; another
    option of a group (optimizer=sgd) said once, by its name, before the rest."""
    keys = [
        key
        for key in sorted(
            set(was) | set(now), key=lambda k: (not k.endswith(".name"), k)
        )
        if key not in was or key not in now or was[key] != now[key]
    ]
    renamed = {key.removesuffix(".name") for key in keys if key.endswith(".name")}
    keys = [
        key
        for key in keys
        if key.endswith(".name") or key.rpartition(".")[0] not in renamed
    ]
    return [
        (
            "another hpo.space"
            if key == "space"
            else f"{named(key)}={shown(was, key)} (now {shown(now, key)})"
        )
        for key in keys
    ]


def named(key: str) -> str:
    """The argument that sets it: the search's metric is hpo.metric."""
    return f"hpo.{key}" if key in ("metric", "direction") else key


def shown(values: dict, key: str) -> str:
    """A value as an override gives it (null, true, [1, 2]), or (absent)."""
    if key not in values:
        return "(absent)"
    value = values[key]
    return value if isinstance(value, str) else json.dumps(value)
