"""Every list the bot answers with goes through here, and none is cut.

A list that fits in one message is sent as it is. A longer one is split into
pages of whole lines, with Previous/Next buttons that only the member who asked
may press; an answer that pages cannot carry (a line longer than a page, or a
filter too long for a button's ``custom_id``) is attached whole as a ``.txt``
file. Nothing is ever dropped: these are the only ways an answer gets shorter.

The buttons are ``DynamicItem``s: their ``custom_id`` names the list, its owner,
the page wanted and the list's filter (a category, a search), and a press
recomputes that page from the bot's state. So they keep working after a restart,
and a list that shrank in the meantime answers with its last page and says so.
A cog makes one ``ListPager`` per list, hands it a function that builds the list
(``ListAnswer``) from an interaction and the filter, and registers the pager's
button class in ``cog_load`` (``pager.register(bot)``) and removes it in
``cog_unload``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.adapters.files import attachment
from bot.formatting import count_of, shorten
from bot.tree import answer_error

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000  # characters in a message's content
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_TITLE_LIMIT = 256
CUSTOM_ID_LIMIT = 100
FOOTER_ROOM = 160  # a page's own lines ("Page 3 of 12 · 250 items", the note of a shrunk list)

OTHERS_REFUSED = "These buttons belong to whoever ran the command; run it yourself to browse."
SHRUNK_NOTE = "The list is shorter than when it was asked for; this is its last page now."
ATTACHED_NOTE = "It is too long to show here, so the whole of it is attached."


@dataclass(frozen=True)
class ListAnswer:
    """A list to show whole: a title, its lines (never shortened here) and how to page it.

    ``embed``: the lines go in an embed's description (with ``title`` as its
    title) rather than in the message text. ``per_page`` caps the lines on a
    page (``None``: as many as fit). ``settle`` gives an embed page as it is sent,
    and the message text over it, from the indexes of the lines it shows (the
    glossary makes its answers follow the channel's rule there).
    """

    title: str
    lines: Sequence[str]
    empty: str
    filename: str
    noun: tuple[str, str] = ("item", "items")
    per_page: int | None = None
    embed: bool = False
    colour: discord.Colour | None = None
    settle: Callable[[discord.Embed, range], tuple[str | None, discord.Embed]] | None = None

    @property
    def budget(self) -> int:
        """Characters a page's lines may take."""
        if self.embed:
            return EMBED_DESCRIPTION_LIMIT - FOOTER_ROOM
        return MESSAGE_LIMIT - len(self.title) - FOOTER_ROOM

    def footer(self, page: int, pages: int) -> str:
        return f"Page {page} of {pages} · {count_of(len(self.lines), *self.noun)}"

    def as_text(self) -> str:
        """The whole list as one text: its title and every line, or what an empty list says."""
        return "\n".join(part for part in (self.title, "\n".join(self.lines) or self.empty) if part)


def paginate(lengths: Sequence[int], budget: int, per_page: int | None = None) -> list[range] | None:
    """Consecutive lines grouped into pages: each page's lines, joined by newlines, take at most
    ``budget`` characters and number at most ``per_page``. Every line is on exactly one page, in
    order. ``None`` when one line alone is longer than ``budget`` (it cannot be shown whole)."""
    if any(length > budget for length in lengths):
        return None
    pages: list[range] = []
    start, used = 0, -1
    for index, length in enumerate(lengths):
        full = per_page is not None and index - start >= per_page
        if index > start and (full or used + 1 + length > budget):
            pages.append(range(start, index))
            start, used = index, -1
        used += 1 + length
    pages.append(range(start, len(lengths)))
    return pages



async def send(interaction: discord.Interaction, *, ephemeral: bool = True, **message: Any) -> None:
    """The first answer, or a followup when the interaction was already answered (deferred)."""
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **message)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **message)


async def send_text(interaction: discord.Interaction, text: str, filename: str, *, ephemeral: bool = True) -> None:
    """Answer with ``text`` in one message, or attach it whole as ``filename`` when it is longer."""
    if len(text) <= MESSAGE_LIMIT:
        await send(interaction, content=text, ephemeral=ephemeral)
        return
    await send(interaction, content=ATTACHED_NOTE, file=attachment(text, filename), ephemeral=ephemeral)


ListSource = Callable[[discord.Interaction, str], Awaitable[ListAnswer]]


class ListPager:
    """One list the bot pages: ``name`` (short, it is in every button's ``custom_id``) and the
    function that builds the list from an interaction and the list's filter."""

    def __init__(self, name: str, source: ListSource) -> None:
        if not re.fullmatch(r"[a-z]{1,8}", name):
            raise ValueError(f"a pager's name is 1 to 8 lowercase letters, not {name!r}")
        self.name = name
        self.source = source
        self.button = _page_button_class(self)

    def register(self, bot: discord.Client) -> None:
        bot.add_dynamic_items(self.button)

    def unregister(self, bot: discord.Client) -> None:
        bot.remove_dynamic_items(self.button)

    def custom_id(self, owner_id: int, page: int, way: str, arg: str) -> str:
        return f"wp:{self.name}:{owner_id}:{page}:{way}:{arg}"

    async def send(self, interaction: discord.Interaction, arg: str = "", *, ephemeral: bool = True) -> None:
        """Answer with the list's first page (and buttons when there are more), or the whole list as a file."""
        answer = await self.source(interaction, arg)
        pages = paginate([len(line) for line in answer.lines], answer.budget, answer.per_page)
        fits_buttons = len(self.custom_id(interaction.user.id, 99999, ">", arg)) <= CUSTOM_ID_LIMIT
        if pages is None or (len(pages) > 1 and not fits_buttons):
            await send(
                interaction, content=ATTACHED_NOTE, file=attachment(answer.as_text(), answer.filename),
                ephemeral=ephemeral,
            )
            return
        await send(interaction, **self.page(answer, pages, 1, interaction.user.id, arg), ephemeral=ephemeral)

    async def turn(self, interaction: discord.Interaction, page: int, arg: str) -> None:
        """A button was pressed: the page recomputed from the current state, in place of the old one."""
        answer = await self.source(interaction, arg)
        pages = paginate([len(line) for line in answer.lines], answer.budget, answer.per_page)
        if pages is None:  # the list grew a line too long for a page since: hand over the file
            await interaction.response.edit_message(
                content=ATTACHED_NOTE, embed=None, view=None,
                attachments=[attachment(answer.as_text(), answer.filename)],
            )
            return
        message = self.page(answer, pages, page, interaction.user.id, arg)
        await interaction.response.edit_message(**{"view": None, "embed": None, **message})

    def page(
        self, answer: ListAnswer, pages: list[range], wanted: int, owner_id: int, arg: str
    ) -> dict[str, Any]:
        """Message arguments for page ``wanted`` (from 1); past the end, the last page with a note."""
        number = min(max(1, wanted), len(pages))
        shown = pages[number - 1]
        body = "\n".join(answer.lines[i] for i in shown) or answer.empty
        notes = [SHRUNK_NOTE] if wanted > len(pages) else []
        footer = answer.footer(number, len(pages))
        message: dict[str, Any]
        if answer.embed:
            title = shorten(answer.title, EMBED_TITLE_LIMIT)
            embed = discord.Embed(title=title, description=body, colour=answer.colour)
            embed.set_footer(text=footer)
            above, embed = answer.settle(embed, shown) if answer.settle else (None, embed)
            message = {"content": "\n".join(n for n in (above, *notes) if n) or None, "embed": embed}
        else:
            paged = [footer] if len(pages) > 1 else []
            message = {"content": "\n".join(part for part in (*notes, answer.title, body, *paged) if part)}
        if len(pages) > 1:
            view = discord.ui.View(timeout=None)
            view.add_item(self.button(owner_id, number - 1, "<", arg, disabled=number <= 1))
            view.add_item(self.button(owner_id, number + 1, ">", arg, disabled=number >= len(pages)))
            message["view"] = view
        return message


def _page_button_class(pager: ListPager) -> type[discord.ui.DynamicItem[discord.ui.Button]]:
    template = rf"wp:{pager.name}:(?P<owner>\d+):(?P<page>\d+):(?P<way>[<>]):(?P<arg>.*)"

    class PageButton(discord.ui.DynamicItem[discord.ui.Button], template=template):
        def __init__(self, owner_id: int, page: int, way: str, arg: str, *, disabled: bool = False) -> None:
            super().__init__(
                discord.ui.Button(
                    label="Previous" if way == "<" else "Next", style=discord.ButtonStyle.secondary,
                    custom_id=pager.custom_id(owner_id, page, way, arg), disabled=disabled,
                )
            )
            self.owner_id, self.target, self.arg = owner_id, page, arg

        @classmethod
        async def from_custom_id(
            cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
        ) -> PageButton:
            return cls(int(match["owner"]), int(match["page"]), match["way"], match["arg"])

        async def interaction_check(self, interaction: discord.Interaction) -> bool:
            if interaction.user.id != self.owner_id:
                await interaction.response.send_message(OTHERS_REFUSED, ephemeral=True)
                return False
            return True

        async def callback(self, interaction: discord.Interaction) -> None:
            try:
                await pager.turn(interaction, self.target, self.arg)
            except Exception as error:  # answered like a command's error, not left to the view's logger
                await answer_error(interaction, error, f"A page button of the {pager.name!r} list")

    PageButton.__name__ = PageButton.__qualname__ = f"PageButton_{pager.name}"
    return PageButton
