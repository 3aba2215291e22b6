"""Each server's glossary, kept in memory and rebuilt only when that server's layer changes.

Reads (``glossary``, ``layer``) are synchronous and touch only memory, so an
autocomplete on every keystroke, and later the rule engine on every message, never
waits on the database. Writes check the new layer against the shipped glossary
first (a clash is a ``UserFacingError`` listing the problems), then commit it with
its audit rows, and only then update the cache and tell the listeners; a write
that fails leaves the cache as it was.

A stored layer that no longer fits a newer shipped glossary (a shipped entry now
uses a name the server had taken) is logged, and that server falls back to the
shipped glossary until a moderator resets or edits the entries the log names.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from bot.errors import UserFacingError
from bot.formatting import make_inert
from bot.glossary import EntryModel, Glossary, GlossaryConflict, GlossaryEntry, entry_to_data
from bot.guild_glossary.forms import problems_error
from bot.guild_glossary.layer import GlossaryLayer
from bot.store.errors import StoreError
from bot.store.glossary_repo import REMOVED, GlossaryRepository, GlossaryRow, LayerValue, LookupCount

log = logging.getLogger(__name__)

ChangeListener = Callable[[int], None]
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True, slots=True)
class _GuildView:
    layer: GlossaryLayer
    glossary: Glossary


@dataclass(frozen=True, slots=True)
class LookupStats:
    found: list[LookupCount]
    unknown: list[LookupCount]


def normalize_query(text: str) -> str:
    """What an unknown query is counted under: case-folded, spaces collapsed, cut to 100 characters."""
    return " ".join(text.casefold().split())[:MAX_QUERY_LENGTH]


class GuildGlossaries:
    def __init__(self, shipped: Glossary, repository: GlossaryRepository) -> None:
        self._shipped = shipped
        self._repository = repository
        self._views: dict[int, _GuildView] = {}
        self._listeners: list[ChangeListener] = []
        # Checking a layer and committing it must not interleave with another change of it.
        self._write_lock = asyncio.Lock()

    @property
    def shipped(self) -> Glossary:
        return self._shipped

    async def load(self) -> None:
        """Build every server's glossary from the stored layers; call once at start-up."""
        rows: dict[int, list[GlossaryRow]] = {}
        for row in await self._repository.all_rows():
            rows.setdefault(row.guild_id, []).append(row)
        self._views = {guild_id: self._build(guild_id, guild_rows) for guild_id, guild_rows in rows.items()}
        log.info("Loaded glossary changes for %d server(s)", len(self._views))

    def add_listener(self, listener: ChangeListener) -> None:
        """Call ``listener(guild_id)`` after each committed change of that server's glossary."""
        self._listeners.append(listener)

    # -- reads: memory only -------------------------------------------------

    def glossary(self, guild_id: int | None) -> Glossary:
        """The server's glossary; the shipped one outside servers (DMs) and for servers without changes."""
        view = self._views.get(guild_id) if guild_id is not None else None
        return view.glossary if view else self._shipped

    def layer(self, guild_id: int) -> GlossaryLayer:
        view = self._views.get(guild_id)
        return view.layer if view else GlossaryLayer()

    def resettable_ids(self, guild_id: int) -> list[str]:
        """Ids of shipped entries the server changed or removed (what ``reset_entry`` can undo), sorted."""
        layer = self.layer(guild_id)
        changed = {entry.id for entry in layer.entries} | layer.removed
        return sorted(entry_id for entry_id in changed if self._shipped.get(entry_id) is not None)

    # -- writes -------------------------------------------------------------

    async def save_entry(self, guild_id: int, entry: GlossaryEntry, *, actor_id: int, new: bool = False) -> bool:
        """Add ``entry`` or replace the server's entry with its id; False when nothing changed.

        With ``new``, an entry that appeared under that id since the moderator began (another
        moderator's add, while this one was filling in the form) is not overwritten.
        """
        async with self._write_lock:
            if new and self.glossary(guild_id).get(entry.id) is not None:
                raise UserFacingError(
                    f"An entry with the id '{entry.id}' was added while you were filling in the form; "
                    f"nothing was saved. Change it with /glossary edit {entry.id}."
                )
            return bool(await self._commit(guild_id, self.layer(guild_id).with_entry(entry), actor_id))

    async def remove_entry(self, guild_id: int, name: str, *, actor_id: int) -> GlossaryEntry:
        """Hide a shipped entry, or delete one the server added; return the entry that went away.

        ``name`` is an id, term or alias, as ``Glossary.lookup`` takes it.
        """
        async with self._write_lock:
            entry = self.glossary(guild_id).lookup(name)
            if entry is None:
                raise UserFacingError(f"This server's glossary has no entry called '{make_inert(name)}'.")
            layer = self.layer(guild_id)
            layer = layer.with_removed(entry.id) if self._shipped.get(entry.id) else layer.without(entry.id)
            await self._commit(guild_id, layer, actor_id)
            return entry

    async def reset_entry(self, guild_id: int, name: str, *, actor_id: int) -> tuple[GlossaryEntry, bool]:
        """Bring back the shipped entry ``name`` names; return it, and False when the server had not changed it."""
        async with self._write_lock:
            entry = self._shipped.lookup(name)
            if entry is None:
                raise UserFacingError(
                    f"'{make_inert(name)}' is not a shipped entry, so there is nothing to go back to; "
                    "/glossary remove deletes an entry this server added."
                )
            layer = self.layer(guild_id)
            if not layer.touches(entry.id):
                return entry, False
            return entry, bool(await self._commit(guild_id, layer.without(entry.id), actor_id))

    async def replace_layer(self, guild_id: int, layer: GlossaryLayer, *, actor_id: int) -> frozenset[str]:
        """Make ``layer`` the server's whole layer (an import) in one transaction; return the ids that changed."""
        async with self._write_lock:
            return await self._commit(guild_id, layer, actor_id, replace=True)

    async def _commit(
        self, guild_id: int, layer: GlossaryLayer, actor_id: int, *, replace: bool = False
    ) -> frozenset[str]:
        layer = layer.normalized(self._shipped)
        problems = layer.problems(self._shipped)
        if problems:
            raise problems_error("That change does not fit this server's glossary", problems)
        old = self.layer(guild_id)
        changes = {
            entry_id: _stored_value(layer, entry_id)
            for entry_id in {e.id for e in (*old.entries, *layer.entries)} | old.removed | layer.removed
        }
        changed = await self._repository.write(guild_id, changes, actor_id=actor_id, replace=replace)
        if changed:
            self._views[guild_id] = _GuildView(layer, layer.apply_to(self._shipped))
            self._notify(guild_id)
        return changed

    def _notify(self, guild_id: int) -> None:
        for listener in self._listeners:
            try:
                listener(guild_id)
            except Exception:
                log.exception("A glossary listener failed for server %s", guild_id)

    def _build(self, guild_id: int, rows: list[GlossaryRow]) -> _GuildView:
        entries, removed = [], set()
        for row in rows:
            if row.removed:
                removed.add(row.entry_id)
                continue
            try:
                entries.append(EntryModel.model_validate(row.entry).to_entry())
            except ValidationError as exc:
                log.warning(
                    "Server %s: stored glossary entry %r is no longer valid, skipped: %s", guild_id, row.entry_id, exc
                )
        layer = GlossaryLayer(tuple(entries), frozenset(removed))
        try:
            return _GuildView(layer, layer.apply_to(self._shipped))
        except GlossaryConflict as exc:
            log.warning(
                "Server %s: its glossary changes no longer fit the shipped glossary (%s); "
                "using the shipped glossary until a moderator fixes them",
                guild_id,
                exc,
            )
            return _GuildView(layer, self._shipped)

    # -- lookup statistics ----------------------------------------------------

    async def record_lookup(self, guild_id: int | None, text: str, entry: GlossaryEntry | None) -> None:
        """Count a lookup (best effort: a failure is logged, never shown to the member)."""
        if guild_id is None:
            return
        query = entry.id if entry is not None else normalize_query(text)
        if not query:
            return
        try:
            await self._repository.record_lookup(guild_id, query, found=entry is not None)
        except (sqlite3.Error, StoreError):
            log.warning("Could not count a glossary lookup in server %s", guild_id, exc_info=True)

    async def lookup_stats(self, guild_id: int, *, limit: int | None = None) -> LookupStats:
        """The guild's lookups, most asked first: all of them, or the ``limit`` most asked of each kind."""
        return LookupStats(
            found=await self._repository.top_lookups(guild_id, found=True, limit=limit),
            unknown=await self._repository.top_lookups(guild_id, found=False, limit=limit),
        )


def _stored_value(layer: GlossaryLayer, entry_id: str) -> LayerValue:
    if entry_id in layer.removed:
        return REMOVED
    entry = layer.entry(entry_id)
    return entry_to_data(entry) if entry is not None else None
