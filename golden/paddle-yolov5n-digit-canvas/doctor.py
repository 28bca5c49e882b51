"""Is this machine ready to train? Python and the pinned packages, the GPU (or why
none is visible), bf16/fp16, threads, free disk under data.root and output_dir, write
access to the run folder, and the dataset, present and verified. One line per check,
marked fine, worth a look (!) or blocking training (exit code 1), with its fix. It takes
train.py's arguments and checks what that run would use; it downloads nothing.

Usage: python doctor.py [--json] [group=option ...] [key=value ...]
  python doctor.py
  python doctor.py data=cifar10 data.root=/data trainer.accelerator=gpu
  python doctor.py --json        # the findings as JSON, for scripts
  python doctor.py --print-config    # the config the checks read (YAML), and stop
"""

from yolov5n_digit_canvas.errors import UserError, run_cli


def main(argv: list[str]) -> None:
    from yolov5n_digit_canvas.doctor.checks import examine
    from yolov5n_digit_canvas.doctor.findings import as_json, blocking, lines

    if "--json" in argv and "--print-config" in argv:  # YAML with sources, or JSON
        raise UserError(
            "--json and --print-config go one at a time: --print-config prints the"
            " config as YAML, each value with its source; --json prints the findings"
        )
    found = examine([arg for arg in argv if arg != "--json"], __doc__)
    print(as_json(found) if "--json" in argv else "\n".join(lines(found)), flush=True)
    raise SystemExit(1 if blocking(found) else 0)


if __name__ == "__main__":
    run_cli(main)
