"""The report's view of a classifier's test answers: the confusion matrix, each class's
accuracy, and test images it got right and wrong."""

import numpy as np
from PIL import Image, ImageDraw

from .figures import chart, plt, png

CELL = 72  # pixels per picture in the grid


def confusion_chart(labels, predicted, names: list[str]) -> bytes:
    count = len(names)
    matrix = np.bincount(labels * count + predicted, minlength=count * count)
    matrix = matrix.reshape(count, count)
    size = min(9, 2.5 + 0.35 * count)
    figure, axes = plt.subplots(figsize=(size, size * 0.85), dpi=90)
    image = axes.imshow(matrix, cmap="Blues")
    figure.colorbar(image, ax=axes, shrink=0.8)
    axes.set(title="confusion matrix (test)", xlabel="predicted", ylabel="true")
    if count <= 30:
        axes.set_xticks(range(count), names, rotation=90, fontsize=7)
        axes.set_yticks(range(count), names, fontsize=7)
        for (row, column), value in np.ndenumerate(matrix):
            if count <= 15 and value:
                dark = value > matrix.max() / 2
                axes.text(
                    column,
                    row,
                    value,
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
    return png(figure)


def accuracy_chart(labels, predicted, names: list[str]) -> bytes:
    count = len(names)
    right = np.bincount(labels[labels == predicted], minlength=count)
    total = np.maximum(np.bincount(labels, minlength=count), 1)
    figure, axes = chart(
        "accuracy per class (test)", "class", (max(5, 0.3 * count), 3.2)
    )
    axes.bar(range(count), right / total, color="tab:blue")
    axes.set_ylim(0, 1)
    if count <= 40:
        axes.set_xticks(range(count), names, rotation=90, fontsize=7)
    return png(figure)


def answers_grid(outputs, names: list[str]) -> Image.Image | None:
    """Right answers in the first row(s), wrong ones after: each image with its true
    class and the predicted one (green right, red wrong)."""
    cells = []
    for kind, right in (("right", True), ("wrong", False)):
        images = outputs.get(f"{kind}_images", np.zeros((0,)))
        answers = outputs.get(f"{kind}_answers", np.zeros((0, 2), int))
        for image, (true, guess) in zip(images, answers, strict=False):
            cells.append((image, f"{names[true]}>{names[guess]}"[:11], right))
    if not cells:
        return None
    columns = 8
    rows = -(-len(cells) // columns)
    grid = Image.new("RGB", (columns * CELL, rows * (CELL + 14)), "white")
    draw = ImageDraw.Draw(grid)
    for index, (image, caption, right) in enumerate(cells):
        left, top = index % columns * CELL, index // columns * (CELL + 14)
        picture = Image.fromarray(image).resize((CELL - 4, CELL - 4), Image.NEAREST)
        grid.paste(picture, (left + 2, top + 2))
        draw.text((left + 2, top + CELL - 1), caption, fill="green" if right else "red")
    return grid
