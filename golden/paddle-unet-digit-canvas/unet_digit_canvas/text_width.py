"""How wide a name shows on a terminal, so tables of class names line up: a Chinese or
Japanese character or an emoji takes two columns, an accent written apart none."""

import unicodedata


def shown_width(text: str) -> int:
    return sum(
        (
            0
            if unicodedata.combining(ch)
            else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        )
        for ch in text
    )


def padded(text: str, width: int) -> str:
    """`text` and the spaces that make it `width` columns wide on a terminal."""
    return text + " " * max(0, width - shown_width(text))
