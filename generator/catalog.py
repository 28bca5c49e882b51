"""Everything `gen new` can build, put together. Adding a model, dataset or feature starts with
one entry in catalog_models.py, catalog_datasets.py or catalog_features.py;
docs/extending.md has the whole recipe."""

from .catalog_datasets import DATASETS
from .catalog_features import FEATURES
from .catalog_models import MODELS
from .schemas.catalog import BACKENDS, Catalog
from .source import BLUEPRINTS


def top_level_modules() -> frozenset[str]:
    """What `import NAME` would find at the top of any emitted tree: scripts and folders."""
    names = set()
    for backend in BACKENDS:
        for path in (BLUEPRINTS / backend).iterdir():
            name = path.name.removesuffix(".jinja")
            if path.is_dir() or name.endswith(".py"):
                names.add(name.removesuffix(".py"))
    return frozenset(name for name in names if name.isidentifier())


CATALOG = Catalog(
    models={m.name: m for m in MODELS},
    datasets={d.name: d for d in DATASETS},
    features={f.name: f for f in FEATURES},
    defaults={
        "classification": ("lenet", "digits"),
        "segmentation": ("unet", "digit_canvas"),
        "detection": ("yolov5n", "digit_canvas"),
        "instance_segmentation": ("maskrcnn_resnet50_fpn", "digit_canvas"),
    },
    reserved=top_level_modules(),
)
