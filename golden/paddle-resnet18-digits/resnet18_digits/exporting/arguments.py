"""export.py's checkpoint and folder, checked before any work: a checkpoint must be a
whole file of this project's kind, and export.out (or runs/<run>/export) a folder the
export may be written to (folder.py builds it there).

check_arguments reads the command line before torch or paddle loads, so these mistakes
are refused in a second, where the framework and the model take several: a value given
there wins over every other layer. The composed config is checked too (export_folder).
"""

import zipfile
from pathlib import Path

from ..config.cli import NONE, take_arg
from ..config.compose import parse_override
from ..errors import UserError
from .folder import refuse_unless_replaceable, work_folder

UNCHECKED = ("-h", "--help", "--print-config")  # nothing is exported: nothing to refuse
KINDS = {".ckpt": "a PyTorch Lightning", ".pdparams": "a PaddlePaddle"}
KINDS[".pdopt"] = KINDS[".pdparams"]  # the optimizer's file of a Paddle checkpoint
ZIP = b"PK\x03\x04"  # torch.save's format (a zip archive), as train.py writes it
PICKLE = b"\x80"  # paddle.save's format: a pickle, its protocol's opcode first


def check_arguments(argv: list[str], suffix: str) -> None:
    """Refuse ckpt_path=... and export.out=... as given; `suffix`: this project's
    checkpoints' (.ckpt or .pdparams)."""
    if any(flag in argv for flag in UNCHECKED):
        return
    ckpt_path = take_arg(argv, "ckpt_path")[1]
    if ckpt_path is not None and not ckpt_path.strip():
        return  # `ckpt_path=`: parse_cli refuses it, in every script's words
    if ckpt_path not in NONE:
        check_checkpoint(ckpt_path, suffix)
    text = take_arg(argv, "export.out")[1]
    if text is None or "${" in text:  # not given, or resolved with the config
        return
    out = parse_override(f"export.out={text}").export.out
    if not text.strip() or out == "":  # YAML reads `export.out=` as null
        raise UserError(
            "export.out is empty: give a folder (it is made if missing), or null for"
            " the run's (runs/<run>/export)"
        )
    if ckpt_path not in NONE and isinstance(out, str | int | float | None):
        export_folder(ckpt_path, None if out is None else str(out))


def check_checkpoint(path: str, suffix: str) -> None:
    """A file, of this project's framework, whole by its first and last bytes."""
    fix = f"give runs/<run>/checkpoints/best{suffix} or last{suffix}"
    file = Path(path)
    if file.is_dir():  # a run's folder, or its checkpoints/: the file in it, named
        inside = [file / "checkpoints" / f"best{suffix}", file / f"best{suffix}"]
        example = next((p for p in inside if p.is_file()), inside[0])
        raise UserError(
            f"ckpt_path={path} is a folder: give a checkpoint file in it, such as"
            f" ckpt_path={example}"
        )
    if not file.is_file():
        raise UserError(f"ckpt_path={path}: no such file; {fix}")
    kind = KINDS.get(file.suffix)
    if kind and kind != KINDS[suffix]:
        raise UserError(f"ckpt_path={path} is {kind} checkpoint; {fix}")
    if suffix == ".pdparams" and file.suffix != suffix:  # paddle.load reads it by name
        raise UserError(f"ckpt_path={path} is not a .pdparams checkpoint; {fix}")
    if not whole(file):
        raise UserError(
            f"ckpt_path={path} is not a whole checkpoint (empty, cut short, or another"
            f" kind of file); {fix}"
        )


def whole(file: Path) -> bool:
    """A zip archive with its closing record (a copy cut short has none), or a pickle
    ending in its STOP opcode."""
    with file.open("rb") as opened:
        start = opened.read(len(ZIP))
        opened.seek(max(file.stat().st_size - 1, 0))
        end = opened.read(1)
    if start == ZIP:
        return zipfile.is_zipfile(file)
    return start.startswith(PICKLE) and end == b"."


def export_folder(ckpt_path: str, out: str | None) -> Path:
    """export.out, or runs/<run>/export for a checkpoint in a run's checkpoints/
    folder; refused when it cannot be written or holds anything but an earlier export.
    """
    checkpoints = Path(ckpt_path).absolute().parent
    in_a_run = (checkpoints.parent / "record.json").is_file()  # train.py's run
    if not out and not (checkpoints.name == "checkpoints" and in_a_run):
        raise UserError(
            f"ckpt_path={ckpt_path} is not in a run's checkpoints/ folder, so it has no"
            " runs/<run>/export: say where the export goes with export.out=DIR"
        )
    folder = Path(out).expanduser() if out else checkpoints.parent / "export"
    key = f"export.out={out}" if out else f"export.out=null ({folder})"
    if folder.is_symlink():  # `current -> v1`: written through, into v1; the link kept
        folder = folder.resolve()
    refuse_unless_replaceable(folder, key)
    existing = next(p for p in folder.absolute().parents if p.exists())
    try:  # tried, not os.access: as root, that passes any folder, /proc too
        work_folder(existing, folder.name).rmdir()
    except OSError:
        raise UserError(f"{key}: {existing} is not a folder you can write in") from None
    return folder
