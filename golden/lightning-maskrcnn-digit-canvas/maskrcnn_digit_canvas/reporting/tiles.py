"""Pictures side by side, in rows: the report's grids of test images."""

from PIL import Image

SIZE = 192  # pixels per test picture


def tiled(pictures: list[Image.Image], columns: int = 4) -> Image.Image | None:
    """`pictures` (each SIZE x SIZE) in rows of `columns`, or None for none."""
    if not pictures:
        return None
    rows = -(-len(pictures) // columns)
    grid = Image.new("RGB", (columns * SIZE, rows * SIZE), "white")
    for index, part in enumerate(pictures):
        grid.paste(part, (index % columns * SIZE, index // columns * SIZE))
    return grid


def enlarged(image) -> Image.Image:
    """A uint8 (H, W, 3) picture at SIZE x SIZE, pixels kept sharp."""
    return Image.fromarray(image).resize((SIZE, SIZE), Image.Resampling.NEAREST)
