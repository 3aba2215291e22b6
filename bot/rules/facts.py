"""What the engine needs to know about a message, and nothing that ties it to Discord.

The Discord adapter builds these from a ``discord.Message``; the CLI builds them
from JSON. Keeping them plain is what lets the engine be tested without mocks.
"""

from __future__ import annotations

from dataclasses import dataclass

SPOILER_PREFIX = "SPOILER_"
_MEDIA_EXTENSIONS = frozenset(
    "png jpg jpeg gif webp avif bmp tif tiff heic svg apng mp4 mov webm mkv avi m4v gifv".split()
)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    spoiler: bool = False
    content_type: str | None = None

    @property
    def is_spoilered(self) -> bool:
        # Discord blurs an attachment whose file name starts with SPOILER_ (case matters).
        return self.spoiler or self.filename.startswith(SPOILER_PREFIX)

    @property
    def is_media(self) -> bool:
        """Images and videos; other files show no preview, so there is nothing to blur."""
        if self.content_type:
            return self.content_type.split("/", 1)[0].strip().lower() in ("image", "video")
        _, dot, extension = self.filename.rpartition(".")
        return bool(dot) and extension.lower() in _MEDIA_EXTENSIONS


@dataclass(frozen=True, slots=True)
class MessageFacts:
    content: str
    attachments: tuple[Attachment, ...] = ()
