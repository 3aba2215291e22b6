"""Members look terms up: /define, /compare, /glossary list and search, and where adult entries may be shown."""

from __future__ import annotations

from bot.adapters.long_answers import OTHERS_REFUSED
from bot.guild_glossary.answers import ADULT_NOTICE
from tests.behaviour.scenarios import handled_errors


def fields_of(embed) -> dict[str, str]:
    return {field.name: field.value for field in embed.fields}


async def test_define_finds_a_term_by_an_alias_and_shows_the_whole_entry(simcord_env, server):
    result = await server.member.slash(server.general, "define", term="ツンデレ")

    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "tsundere"
    assert embed.description.startswith("*A character who hides affection")
    fields = fields_of(embed)
    assert "ツンデレ" in fields["Also called"]
    assert fields["Category"] == "archetypes"
    assert "yandere" in fields["Related"]
    assert embed.footer.text == "id: tsundere"
    assert result.response.content == ""


async def test_define_lists_the_content_warnings_of_an_entry(simcord_env, server):
    server.age_restrict(server.genre)
    result = await server.member.slash(server.genre, "define", term="寝取られ")

    fields = fields_of(result.response.embeds[0])
    assert result.response.embeds[0].title == "netorare"
    assert fields["Content warnings"] == "NTR, infidelity, emotional distress"


async def test_an_unknown_term_gets_up_to_three_suggestions_privately(simcord_env, server):
    result = await server.member.slash(server.general, "define", term="tsundre")

    assert result.ephemeral
    assert result.response.content == "There is no glossary entry called “tsundre”. Did you mean **tsundere**?"


async def test_a_typo_of_netorare_suggests_the_relationship_family(simcord_env, server):
    result = await server.member.slash(server.general, "define", term="netorae")

    assert result.response.content.endswith("Did you mean **netorare**, **netorase**, **netori**?")


async def test_unknown_text_is_shown_inert(simcord_env, server):
    result = await server.member.slash(server.general, "define", term="@everyone **boom**")

    assert "@\u200beveryone \\*\\*boom\\*\\*" in result.response.content


async def test_autocomplete_offers_terms_and_aliases_as_you_type(simcord_env, server):
    choices = await server.member.autocomplete(server.general, "define", "term", "netor")

    assert [choice["value"] for choice in choices][:3] == ["netorare", "netorase", "netori"]
    by_alias = await server.member.autocomplete(server.general, "define", "term", "ntr")
    assert by_alias[0] == {"name": "netorare (NTR)", "value": "netorare"}


async def test_an_autocompleted_id_is_defined(simcord_env, server):
    result = await server.member.slash(server.general, "define", term="reverse-ntr")
    assert result.response.embeds[0].title == "reverse NTR"


async def test_compare_puts_netori_and_netorare_side_by_side(simcord_env, server):
    server.age_restrict(server.genre)
    choices = await server.member.autocomplete(server.genre, "compare", "b", "netora", a="netori")
    assert choices[0]["value"] == "netorare"

    result = await server.member.slash(server.genre, "compare", a="netori", b="NTR")

    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "netori vs netorare"
    fields = fields_of(embed)
    assert fields["netori"].startswith("A story told from the side of the person who wins")
    assert fields["Perspective: netori"].startswith("The seducer")
    assert fields["Perspective: netorare"].startswith("The betrayed partner")
    assert fields["Roles: netori"] == "The seducer, the seduced, and the unaware partner who is being left behind."
    assert fields["Roles: netorare"].startswith("The betrayed protagonist, the unfaithful partner, and the interloper")
    assert fields["Plot arc: netori"].startswith("Attraction, scheming, seduction and conquest")
    assert fields["Plot arc: netorare"].startswith("A happy start, the discovery")
    assert fields["Tone: netori"].startswith("Triumph")
    assert fields["Tone: netorare"].startswith("Dread and heartbreak")
    assert "manipulation" in fields["Warnings: netori"]
    assert "betrayal" in fields["Warnings: netorare"]
    dimensions = [field.name.split(":")[0] for field in embed.fields if ": netori" in field.name]
    assert dimensions == ["Perspective", "Roles", "Plot arc", "Tone", "Warnings"]


async def test_a_pair_without_contrast_data_shows_both_summaries_and_says_so(simcord_env, server):
    result = await server.member.slash(server.general, "compare", a="shounen", b="tsundere")

    embed = result.response.embeds[0]
    assert embed.description == "These two entries have no contrast data in common, so here are their summaries."
    fields = fields_of(embed)
    assert fields["shounen"].startswith("Manga and anime aimed")
    assert fields["tsundere"].startswith("A character who hides affection")


async def test_compare_with_an_unknown_term_suggests_instead(simcord_env, server):
    result = await server.member.slash(server.general, "compare", a="kuudere", b="dandre")
    assert result.ephemeral
    assert (
        result.response.content == "There is no glossary entry called “dandre”. Did you mean **dandere**, **yandere**?"
    )


async def test_an_adult_entry_is_public_in_an_age_restricted_channel(simcord_env, server):
    server.age_restrict(server.genre)
    result = await server.member.slash(server.genre, "define", term="netori")

    assert not result.ephemeral
    assert result.response.content == ""
    assert result.response.embeds[0].footer.text == "id: netori · adult content"


async def test_an_adult_entry_elsewhere_is_shown_only_to_the_asker_with_a_notice(simcord_env, server):
    result = await server.member.slash(server.general, "define", term="netori")

    assert result.ephemeral
    assert result.response.content == ADULT_NOTICE
    assert result.response.embeds[0].title == "netori"
    assert server.general.history() == []  # nothing public


async def test_an_adult_entry_is_answered_normally_in_a_dm(simcord_env, server):
    reader = simcord_env.create_user("dm-dana")
    result = await reader.slash("define", term="hentai")

    assert not result.ephemeral
    assert result.response.embeds[0].title == "hentai"
    assert result.response.content == ""


async def test_comparing_with_an_adult_entry_outside_age_restricted_channels_is_private(simcord_env, server):
    result = await server.member.slash(server.general, "compare", a="netori", b="netorare")
    assert result.ephemeral
    assert result.response.content == ADULT_NOTICE


async def test_the_list_pages_with_buttons_only_its_owner_can_press(simcord_env, server):
    result = await server.member.slash(server.general, "glossary list", category="archetypes")
    message = result.response
    assert not result.ephemeral  # archetypes holds no adult entry
    assert message.embeds[0].title == "Glossary: archetypes"
    assert message.embeds[0].footer.text == "Page 1 of 1 · 10 entries"
    assert message.components == []  # one page: no buttons

    everything = await server.member.slash(server.genre, "glossary list")
    first = everything.response
    assert first.embeds[0].footer.text == "Page 1 of 8 · 80 entries"
    assert first.embeds[0].description.startswith("**netorare**: ")

    moved = await server.member.click(first, label="Next")
    assert moved.response.embeds[0].footer.text == "Page 2 of 8 · 80 entries"
    back = await server.member.click(first, label="Previous")
    assert back.response.embeds[0].footer.text == "Page 1 of 8 · 80 entries"


async def test_someone_else_cannot_turn_the_pages(simcord_env, server):
    server.age_restrict(server.genre)
    result = await server.member.slash(server.genre, "glossary list")
    assert not result.ephemeral

    refused = await server.moderator.click(result.response, label="Next")

    assert refused.ephemeral
    assert refused.response.content == OTHERS_REFUSED
    assert result.response.embeds[0].footer.text == "Page 1 of 8 · 80 entries"


async def test_category_autocomplete_and_an_unknown_category(simcord_env, server):
    choices = await server.member.autocomplete(server.general, "glossary list", "category", "arch")
    assert choices == [{"name": "archetypes", "value": "archetypes"}]

    result = await server.member.slash(server.general, "glossary list", category="mecha stuff")
    assert result.ephemeral
    assert result.response.content.startswith(
        "There is no category “mecha stuff”; the categories are: relationship drama,"
    )
    assert handled_errors(simcord_env) == ["UserFacingError"]


async def test_search_finds_names_and_words_of_definitions(simcord_env, server):
    result = await server.member.slash(server.general, "glossary search", text="harem")

    description = result.response.embeds[0].description
    lines = description.splitlines()
    assert lines[0].startswith("**harem**: ")
    assert any(line.startswith("**reverse harem**: ") for line in lines)
    assert result.response.embeds[0].title == "Glossary search: harem"


async def test_search_without_hits_says_so(simcord_env, server):
    result = await server.member.slash(server.general, "glossary search", text="zzzz qqqq")
    assert result.response.embeds[0].description == "Nothing in the glossary matches that; try fewer or shorter words."


async def test_answers_in_a_watched_channel_follow_its_rule(simcord_env, server, simcord_bot):
    assert simcord_bot.answer_requirement(server.genre) == "none"  # not watched yet
    server.age_restrict(server.genre)

    await server.moderator.slash(server.general, "warden watch add", place=server.genre, requirement="cw")
    assert simcord_bot.answer_requirement(server.genre) == "cw"
    warned = await server.member.slash(server.genre, "define", term="netori")
    # The answer also names the related entry "infidelity", which needs its own warning.
    assert warned.response.content.splitlines()[0] == "CW: NTR, infidelity"

    await server.moderator.slash(server.general, "warden watch add", place=server.genre, requirement="spoiler")
    assert simcord_bot.answer_requirement(server.genre) == "spoiler"
    hidden = await server.member.slash(server.genre, "define", term="netori")
    embed = hidden.response.embeds[0]
    assert hidden.response.content == ""
    assert embed.title == "Glossary"
    assert embed.description.startswith("**||netori||**\n*A story told from the side of the person")
    assert "||netorare||" in {f.name: f.value for f in embed.fields}["Related"]
