"""Train a model. The whole experiment is the config: configs/ plus these arguments.

Usage: python train.py [group=option ...] [experiment=NAME] [env=NAME] [key=value ...]
  python train.py
  python train.py model=resnet18 data=cifar10 trainer.max_epochs=3 data.root=/data
  python train.py ckpt_path=runs/<run>/checkpoints/last.ckpt    # resume
  python train.py experiment=finetune env=cluster    # its stages, one after another
  python train.py debug=ipdb    # ipdb at the first exception, the batch and model in scope
"""

from lenet_digits.config.cli import parse_cli
from lenet_digits.debugging.session import debug_session
from lenet_digits.errors import run_cli
from lenet_digits.scaling.launchers import check_launch_variables


def main(argv: list[str]) -> None:
    cfg = parse_cli(argv, __doc__, resume=True)
    check_launch_variables()  # a stray LOCAL_RANK ...: said before Lightning reads it
    with debug_session(cfg.debug):  # debug=ipdb: ipdb at the first exception
        # torch and Lightning load only now, so a config mistake is reported in a second.
        from lenet_digits.debugging.breakpoints import breakpoints
        from lenet_digits.training import train

        if cfg.stages:  # a recipe of stages: each a run, started from the one before
            from lenet_digits.stages import run_stages

            run_stages(cfg, lambda i: parse_cli(argv, __doc__, resume=True, stage=i))
        else:
            train(cfg, breakpoints(cfg.debug))  # debug.break_at: ipdb at a hook


if __name__ == "__main__":
    run_cli(main)
