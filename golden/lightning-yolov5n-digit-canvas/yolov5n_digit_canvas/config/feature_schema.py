"""The config sections optional features add (gen list features), typed as
config/schema.py types the others: types only, their defaults in configs/config.yaml."""

from dataclasses import dataclass

from omegaconf import MISSING


@dataclass
class ExportConfig:
    """export.py: the exported model's form and the check that it answers as trained."""

    format: str = MISSING  # config/rules.py: EXPORT_FORMATS
    verify: bool = MISSING  # false: no check (said on stderr and in the manifest)
    opset: int = MISSING  # the ONNX operator set
    batch_size: int = MISSING  # the example batch the export is made with
    verify_batch_size: int = MISSING  # another size: the exported batch is dynamic
    verify_images: int = MISSING  # test images compared and scored
    out: str | None = MISSING  # null: runs/<run>/export, beside the checkpoints
