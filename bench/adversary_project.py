"""The inputs `python -m bench adversary` throws at each twin's train.py, eval.py and
predict.py, by kind: one row each, `kind | expect | arguments` (split at spaces).

The cell holds a copy of the golden lenet-digits project with one finished run, and the
fixture files that bench/adversary.py makes. Placeholders: {fx} (the fixtures), {run},
{best}, {last} (that run and its checkpoints), {ext} and {other} (the checkpoint suffix
of this twin and of the other), {cell}. A `(paddle)` or `(lightning)` kind is one
twin's. train.py rows get QUICK first, so that what is wrongly accepted ends soon.
"""

import os
from pathlib import Path

from .adversary_gen import Case

SUFFIX = {"lightning": ".ckpt", "paddle": ".pdparams"}  # what ckpt_path names
OTHER = {"lightning": "paddle", "paddle": "lightning"}

QUICK = [
    "trainer.max_epochs=1",
    "trainer.limit_train_batches=3",
    "trainer.limit_val_batches=2",
    "trainer.limit_test_batches=2",
    "trainer.enable_progress_bar=false",
]
TRAIN = """
wrong type | refuse | trainer.max_epochs=abc
wrong type | refuse | trainer.max_epochs=1.5
wrong type | refuse | data.batch_size=true
wrong type | refuse | optimizer.lr=fast
wrong type | refuse | seed=abc
wrong type | refuse | trainer.precision=fp16
wrong type | refuse | trainer.accelerator=tpu
wrong type | refuse | trainer.devices=two
wrong type | refuse | data.augment.horizontal_flip=maybe
wrong type | refuse | checkpoint.mode=biggest
wrong type | refuse | loggers=csv
wrong type | refuse | loggers={a:1}
wrong type | refuse | trainer=[debug]
wrong type | refuse | data=[digits]
wrong type | refuse | model.pretrained=3
wrong type | refuse | data.name=5
wrong type | refuse | optimizer.betas=0.9
wrong type | refuse | trainer.limit_train_batches=abc
out of range | refuse | data.batch_size=-1
out of range | refuse | optimizer.lr=-0.1
out of range | refuse | optimizer.weight_decay=-1
out of range | refuse | optimizer.betas=[2,2]
out of range | refuse | optimizer.betas=[0.9]
out of range | refuse | optimizer=sgd optimizer.momentum=-1
out of range | refuse | scheduler.pct_start=0
out of range | refuse | scheduler.pct_start=2
out of range | refuse | scheduler=step scheduler.step_size=0
out of range | refuse | scheduler=step scheduler.gamma=-1
out of range | refuse | scheduler=cosine scheduler.min_lr_ratio=-1
out of range | refuse | scheduler=cosine scheduler.warmup_epochs=-1
out of range | refuse | data.val_fraction=1.5
out of range | refuse | seed=4294967296
out of range | refuse | trainer.max_epochs=-2
out of range | refuse | trainer.max_steps=0
out of range | refuse | trainer.log_every_n_steps=0
out of range | refuse | trainer.accumulate_grad_batches=0
out of range | refuse | trainer.gradient_clip_val=0
out of range | refuse | trainer.devices=0
out of range | refuse | data.num_workers=-1
out of range | refuse | data.augment.random_crop_padding=-1
out of range | refuse | checkpoint.early_stopping_patience=0
out of range | refuse | checkpoint.monitor=val/f1
nan or inf | refuse | optimizer.lr=nan
nan or inf | refuse | optimizer.lr=inf
nan or inf | refuse | optimizer.lr=-inf
nan or inf | refuse | optimizer.weight_decay=inf
nan or inf | refuse | optimizer.weight_decay=nan
nan or inf | refuse | data.val_fraction=nan
nan or inf | refuse | trainer.gradient_clip_val=nan
nan or inf | refuse | trainer.limit_train_batches=inf
nan or inf | refuse | trainer.limit_val_batches=nan
nan or inf | refuse | scheduler.pct_start=nan
cannot train | refuse | data.val_fraction=0
cannot train | refuse | data.val_fraction=1
cannot train | refuse | data.val_fraction=0.0001
cannot train | refuse | data.val_fraction=0.9999
cannot train | refuse | data.batch_size=0
cannot train | refuse | optimizer.lr=0
cannot train | refuse | trainer.limit_train_batches=0
cannot train | refuse | trainer.limit_train_batches=0.0001
cannot train | refuse | trainer.limit_val_batches=0
cannot train | refuse | trainer.limit_val_batches=0.0001
cannot train | refuse | trainer.limit_test_batches=0
cannot train | refuse | trainer.max_epochs=0
cannot train | refuse | seed=-1
cannot train | late | optimizer.lr=1e30
empty string | refuse | optimizer.lr=
empty string | refuse | trainer.max_epochs=
empty string | refuse | model.name=
empty string | refuse | data.name=
empty string | refuse | output_dir=
empty string | refuse | trainer=
empty string | refuse | =
unknown key or group | refuse | trainer.max_epoch=3
unknown key or group | refuse | foo=1
unknown key or group | refuse | trainer.foo.bar=1
unknown key or group | refuse | +trainer.foo=1
unknown key or group | refuse | ~trainer.max_epochs
unknown key or group | refuse | model=resnt18
unknown key or group | refuse | optimzer=sgd
unknown key or group | refuse | model.name=resnt18
unknown key or group | refuse | data.name=mnst
unknown key or group | refuse | loggers=[wandb]
unknown key or group | refuse | optimizer.name=sgd
unknown key or group | refuse | --unknown-flag
unknown key or group | refuse | -x
malformed | refuse | max_epochs
malformed | refuse | data.root=${
malformed | refuse | trainer.max_epochs=[1,2
malformed | refuse | .a=1
malformed | refuse | trainer..max_epochs=1
malformed | refuse | trainer.max_epochs==5
interpolation | refuse | data.root=${oc.env:ONEFIT_ADVERSARY_UNSET}
interpolation | refuse | optimizer.lr=${oc.env:HOME}
interpolation | refuse | seed=${seed}
interpolation | refuse | trainer.max_epochs=${nope.key}
interpolation | refuse | trainer.max_epochs=${oc.decode:-5}
interpolation | refuse | data.batch_size=${oc.decode:0}
interpolation | accept | data.split_seed=${seed}
--config file | refuse | --config
--config file | refuse | --config {fx}/missing.yaml
--config file | refuse | --config {fx}
--config file | refuse | --config {fx}/list.yaml
--config file | refuse | --config {fx}/empty.yaml
--config file | refuse | --config {fx}/binary.yaml
--config file | refuse | --config {fx}/latin1.yaml
--config file | refuse | --config {fx}/unknown.yaml
--config file | refuse | --config {fx}/partial.yaml
--config file | refuse | --config {fx}/fifo.yaml
--config file | refuse | --config {run}/config.yaml scheduler=none
--config file | accept | --config {run}/config.yaml
output_dir, data.root | refuse | output_dir=/proc/onefit-x
output_dir, data.root | refuse | output_dir={fx}/afile
output_dir, data.root | refuse | output_dir=/dev/null
output_dir, data.root | refuse | output_dir=/sys/onefit-x
output_dir, data.root | refuse | data=mnist data.root=/proc/onefit-x
output_dir, data.root | refuse | data=mnist data.root={fx}/afile
output_dir, data.root | refuse | data=mnist data.url=http://127.0.0.1:9/
output_dir, data.root | accept | data.root=/proc/onefit-x
streaming | refuse | data=imagefolder data.root={fx}/classes data.in_memory=maybe
streaming | refuse | data=imagefolder data.root={fx}/classes data.in_memory=[true]
streaming | refuse | data=imagefolder data.root={fx}/classes data.num_workers=two
streaming | refuse | data=imagefolder data.root={fx}/classes data.decode=gpu
streaming | refuse | data=imagefolder data.root={fx}/classes data.decode=device
streaming | refuse | data=imagefolder data.root={fx}/jpgs data.decode=device data.in_memory=true
streaming | refuse | data=imagefolder data.root={fx}/fakes data.in_memory=false
streaming | refuse | data=mix data.sources=[{name:imagefolder,root:{fx}/classes,weight:1,in_memory:false}]
streaming | late | data=imagefolder data.root={fx}/broken data.image_size=8 data.in_memory=false data.batch_size=8
streaming | accept | data=imagefolder data.root={fx}/broken data.image_size=8 data.in_memory=false data.skip_corrupt=true
streaming | accept | data=imagefolder data.root={fx}/classes data.image_size=8 data.in_memory=false
streaming | accept | data=imagefolder data.root={fx}/classes data.image_size=8 data.in_memory=false data.num_workers=0
streaming (lightning) | accept | data=imagefolder data.root={fx}/jpgs data.image_size=8 data.decode=device
streaming (paddle) | refuse | data=imagefolder data.root={fx}/jpgs data.image_size=8 data.decode=device
fine | accept | trainer.max_steps=1
fine | accept | data.batch_size=100000
fine | accept | loggers=[]
fine | accept | ckpt_path=
fine | accept | optimizer=sgd scheduler=none
"""
RESUME = """
checkpoint | refuse | ckpt_path={fx}/text{ext}
checkpoint | refuse | ckpt_path={fx}/empty{ext}
checkpoint | refuse | ckpt_path={fx}/half{ext}
checkpoint | refuse | ckpt_path={fx}/other/best{other}
checkpoint | refuse | ckpt_path={fx}/ckptdir{ext}
checkpoint | refuse | ckpt_path={fx}/missing{ext}
checkpoint (lightning) | refuse | ckpt_path={fx}/plain.ckpt
checkpoint (paddle) | refuse | ckpt_path={fx}/lonely.pdparams
checkpoint (paddle) | refuse | ckpt_path={fx}/badjson.pdparams
resume | refuse | ckpt_path={last} optimizer.lr=0.5
resume | refuse | ckpt_path={last} trainer.max_epochs=5
resume | refuse | ckpt_path={last} model=resnet18
resume | refuse | ckpt_path={last} trainer.max_epochs=0
resume | refuse | ckpt_path={last} output_dir=/proc/onefit-x
"""
EVAL = """
checkpoint | refuse |
checkpoint | refuse | ckpt_path=
checkpoint | refuse | ckpt_path={fx}/text{ext}
checkpoint | refuse | ckpt_path={fx}/empty{ext}
checkpoint | refuse | ckpt_path={fx}/half{ext}
checkpoint | refuse | ckpt_path={fx}/other/best{other}
checkpoint | refuse | ckpt_path={fx}/ckptdir{ext}
checkpoint | refuse | ckpt_path={fx}/missing{ext}
checkpoint (lightning) | refuse | ckpt_path={fx}/plain.ckpt
checkpoint (paddle) | refuse | ckpt_path={fx}/lonely.pdparams
overrides | refuse | ckpt_path={best} data.batch_size=0
overrides | refuse | ckpt_path={best} trainer.limit_test_batches=0
overrides | refuse | ckpt_path={best} foo=1
overrides | refuse | ckpt_path={best} model.name=resnet18
overrides | refuse | ckpt_path={best} data.name=cifar10
overrides | accept | ckpt_path={best}
overrides | accept | ckpt_path={last} data.root=/proc/onefit-x
"""
PREDICT = """
checkpoint | refuse | inputs={fx}/images
checkpoint | refuse | ckpt_path={fx}/text{ext} inputs={fx}/images
checkpoint | refuse | ckpt_path={fx}/half{ext} inputs={fx}/images
checkpoint | refuse | ckpt_path={fx}/other/best{other} inputs={fx}/images
checkpoint | refuse | ckpt_path={fx}/ckptdir{ext} inputs={fx}/images
inputs | refuse | ckpt_path={best}
inputs | refuse | ckpt_path={best} inputs=
inputs | refuse | ckpt_path={best} inputs={fx}/nope
inputs | refuse | ckpt_path={best} inputs={fx}/emptydir
inputs | refuse | ckpt_path={best} inputs={fx}/notimages
inputs | refuse | ckpt_path={best} inputs={fx}/fakepng
inputs | refuse | ckpt_path={best} inputs={fx}/zeropng/a.png
inputs | refuse | ckpt_path={best} inputs={fx}/afile
inputs | refuse | ckpt_path={best} inputs=/dev/null
inputs | refuse | ckpt_path={best} inputs={fx}/images foo=1
inputs | accept | ckpt_path={best} inputs={fx}/images
inputs | accept | ckpt_path={best} inputs={fx}/images/3.png
inputs | accept | ckpt_path={best} inputs={fx}/rgb
"""


def fifo(cell: Path, scratch: Path) -> None:
    os.mkfifo(cell / "fx" / "fifo.yaml")  # copied per cell, a pipe would block the copy


def project_cases(backend: str) -> list[Case]:
    cases = []
    tables = [("train.py", TRAIN, QUICK), ("train.py", RESUME, [])]
    tables += [("eval.py", EVAL, []), ("predict.py", PREDICT, [])]
    for script, table, first in tables:
        for row in table.strip().splitlines():
            kind, expect, args = (part.strip() for part in row.split("|"))
            if "(" in kind and f"({backend})" not in kind:
                continue
            setup = fifo if "fifo" in args else None
            argv = [script, *first, *args.split()]
            case = Case(f"{script}: {kind}", backend, argv, expect, setup)
            case.timeout = 20 if setup else case.timeout  # a pipe nobody writes to
            cases.append(case)
    quick = ["train.py", *QUICK]  # arguments that a row cannot hold
    for arg in ("", "trainer.max_epochs=1\nseed=3", "seed=\x01"):
        cases.append(
            Case("train.py: malformed", backend, [*quick, arg], what=repr(arg))
        )
    return cases
