"""Check the data a run would train on, without training: split sizes, objects (boxes) per class,
what reading the COCO files clipped or dropped, and what deserves a look.

Usage: python check_data.py [data=option] [key=value ...]
  python check_data.py data=coco data.root=my_coco_folder
"""

from yolov5n_digit_canvas.config.cli import parse_cli
from yolov5n_digit_canvas.errors import run_cli


def main(argv: list[str]) -> None:
    cfg = parse_cli(argv, __doc__)
    from yolov5n_digit_canvas.data.coco_sets import load_coco, prepare
    from yolov5n_digit_canvas.data.count_table import report_lines
    from yolov5n_digit_canvas.data.dense_checks import findings, note_lines

    prepare(cfg.data)
    arrays = load_coco(cfg.data, "boxes")
    found = findings(arrays, "boxes", cfg.data.batch_size)
    shape = f"{cfg.data.channels}x{cfg.data.image_size}x{cfg.data.image_size}"
    print(f"data={cfg.data.name}: {shape} images, {len(arrays.class_names)} classes")
    print("boxes of each class, per split:")
    print("\n".join(report_lines(found) + note_lines(found["notes"])))


if __name__ == "__main__":
    run_cli(main)
