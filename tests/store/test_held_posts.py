"""Held posts and violations: real SQLite, a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Database
from bot.store.held_posts import HeldPostRepository, ViolationRepository


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def database(tmp_path):
    database = await Database.open(tmp_path / "warden.sqlite3")
    yield database
    await database.close()


async def hold(repository: HeldPostRepository, author_id: int = 7, **overrides):
    values = dict(
        guild_id=1, channel_id=2, message_id=3, author_id=author_id, content="pure NTR", fixed_content="||pure NTR||",
        attachments=("panel.png",), categories=("NTR",), action="delete", retention_days=14,
    )
    values.update(overrides)
    return await repository.hold(**values)


async def test_a_held_post_keeps_everything_needed_to_hand_it_back(database):
    clock = Clock()
    repository = HeldPostRepository(database, clock=clock)
    held = await hold(repository)
    assert (held.content, held.fixed_content, held.attachments, held.categories) == (
        "pure NTR", "||pure NTR||", ("panel.png",), ("NTR",),
    )
    assert held.expires_at - held.held_at == timedelta(days=14)
    assert held.delivered_at is None
    assert [post.id for post in await repository.for_author(1, 7)] == [held.id]
    assert await repository.for_author(1, 8) == []
    assert await repository.for_author(2, 7) == []


async def test_a_member_gets_their_held_posts_from_every_guild_and_nobody_elses(database):
    clock = Clock()
    repository = HeldPostRepository(database, clock=clock)
    first = await hold(repository, guild_id=1)
    second = await hold(repository, guild_id=2)
    await hold(repository, guild_id=2, author_id=8)  # another member's post is never offered
    expired = await hold(repository, guild_id=3, retention_days=1)
    assert [post.id for post in await repository.for_author_everywhere(7)] == [expired.id, second.id, first.id]
    assert [post.id for post in await repository.for_author_everywhere(7, limit=1)] == [expired.id]
    assert await repository.count_waiting_by_guild(7) == {1: 1, 2: 1, 3: 1}
    await repository.mark_delivered([expired.id])  # handed back: the others come first next time
    assert [post.id for post in await repository.for_author_everywhere(7, limit=1)] == [second.id]
    assert await repository.count_waiting_by_guild(7) == {1: 1, 2: 1}

    clock.now += timedelta(days=2)
    assert [post.id for post in await repository.for_author_everywhere(7)] == [second.id, first.id]
    await repository.mark_delivered([first.id])
    assert await repository.count_waiting_by_guild(7) == {2: 1}
    assert await repository.for_author_everywhere(9) == []


async def test_delivery_is_recorded_and_expired_posts_are_purged(database):
    clock = Clock()
    repository = HeldPostRepository(database, clock=clock)
    first = await hold(repository, retention_days=1)
    second = await hold(repository, retention_days=30)
    await repository.mark_delivered([first.id])
    assert (await repository.for_author(1, 7))[-1].delivered_at == clock.now

    clock.now += timedelta(days=2)
    assert [post.id for post in await repository.for_author(1, 7)] == [second.id]  # expired ones are not offered
    assert await repository.purge_expired() == 1
    assert await repository.purge_expired() == 0


async def test_violations_are_counted_within_a_window(database):
    clock = Clock()
    violations = ViolationRepository(database, clock=clock)
    await violations.record(1, 7, ("NTR",))
    clock.now += timedelta(hours=5)
    await violations.record(1, 7, ("NTR",))
    await violations.record(1, 8, ("NTR",))
    assert await violations.count(1, 7) == 2
    assert await violations.count(1, 7, within=timedelta(hours=1)) == 1
    assert await violations.count(2, 7) == 0
