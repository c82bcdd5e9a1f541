"""A page's embedded images as figures of the model: written as files beside the page, linked by name."""

from __future__ import annotations

import base64
import re

from . import Figure

_DATA_IMAGE = re.compile(r'src="data:image/(png|jpeg|svg\+xml);base64,([A-Za-z0-9+/=]+)"')
_SUFFIX = {"png": "png", "jpeg": "jpg", "svg+xml": "svg"}


def split_images(html: str, stem: str) -> tuple[str, list[Figure]]:
    """The HTML with each embedded image (.svg, .png or .jpg) linked by its file name instead (`stem`-1, -2 …),
    and those images."""
    figures: list[Figure] = []

    def link(match: re.Match) -> str:
        figures.append(Figure(f"{stem}-{len(figures) + 1}.{_SUFFIX[match.group(1)]}", base64.b64decode(match.group(2))))
        return f'src="{figures[-1].name}"'

    return _DATA_IMAGE.sub(link, html), figures
