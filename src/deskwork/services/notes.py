"""Notes and note types: the stock types plus the imported ones, rendering a card with its own
note type, adding a note (quick capture) and editing one (every card keeps its schedule and
history; a new cloze number or a template that now shows something adds a card)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deskwork.domain import decknames
from deskwork.domain.cards import Card
from deskwork.domain.notes import cards_for_note, new_cards_after_edit
from deskwork.domain.notetypes import STOCK, NoteTypeDef, display_names, fit_fields
from deskwork.domain.render import Rendered, render_card
from deskwork.services.desk import Desk

LAST_DECK = "last_deck"
ANKI_DECKS = "anki_decks"  # setting: Anki deck name -> id, every deck imported (empty ones too)


def stored_deck(desk: Desk, typed: str, known: set[str] | None = None) -> str:
    """The deck a name typed goes into: normalised (DeckNameError, a ValueError, for '::'), and
    a deck there already (`known`, else every deck with cards or imported) matched ignoring case
    and old spellings, as Anki matches deck names (`ml` goes into `ML`): no second deck that
    differs only in case."""
    deck = decknames.normalize(typed)
    if known is None:
        known = {c.deck for c in desk.store.cards.all()}
        known |= set(desk.store.setting(ANKI_DECKS, {}) or {})
    return decknames.find(deck, known) or deck


def notetypes(desk: Desk) -> dict[str, NoteTypeDef]:
    """Every note type by key: the stock ones, then the imported ones."""
    return {**STOCK, **{t.key: t for t in desk.store.notetypes.all()}}


def type_names(types: dict[str, NoteTypeDef]) -> dict[str, str]:
    """key -> the name lists and `note:` searches use: unambiguous (see `display_names`)."""
    return display_names(types)


def field_names(types: dict[str, NoteTypeDef]) -> dict[str, list[str]]:
    """key -> its fields' names, as field searches (`front:word`) find them."""
    return {k: list(t.fields) for k, t in types.items()}


def notetype_of(desk: Desk, card: Card) -> NoteTypeDef | None:
    return STOCK.get(card.note_type) or next(
        (t for t in desk.store.notetypes.all() if t.key == card.note_type), None
    )


class Renderer:
    """Renders many cards with one read of the note types."""

    def __init__(self, desk: Desk) -> None:
        self.types = notetypes(desk)

    def __call__(self, card: Card) -> Rendered:
        return render_card(card, self.types.get(card.note_type))


def render(desk: Desk, card: Card) -> Rendered:
    return render_card(card, notetype_of(desk, card))


def add_note(
    desk: Desk, note_type: str, fields: list[str], deck: str, tags: list[str], **extra: Any
) -> list[Card]:
    deck = stored_deck(desk, deck)  # DeckNameError (a ValueError) for '::'
    types = notetypes(desk)
    if note_type not in types:
        raise ValueError(f"no note type {note_type!r}")
    shown_as = type_names(types)[note_type]  # as the dialog's list names it
    cards = cards_for_note(
        types[note_type], fields, deck, tags, desk.clock(), shown_as=shown_as, **extra
    )
    with desk.store.transaction() as tx:
        saved = [tx.put("cards", c) for c in cards]
        tx.set_setting(LAST_DECK, cards[0].deck)
    return saved


def siblings_of(desk: Desk, card: Card) -> list[Card]:
    if not card.note_guid:
        return [card]
    found = [
        c
        for c in desk.store.cards.all()
        if c.note_guid == card.note_guid and c.note_type == card.note_type
    ]
    return found or [card]


def edit_note(desk: Desk, card: Card, fields: list[str], deck: str, tags: list[str]) -> list[Card]:
    """Change the note's fields and tags (and this card's deck): every card of the note keeps its
    schedule and history; returns the cards the edit added. `deck` empty: the card's; a name of
    nothing ('::') is refused (DeckNameError, a ValueError) before anything is written."""
    deck = stored_deck(desk, deck) if deck else card.deck
    now = desk.clock()
    notetype = notetype_of(desk, card)
    fields = fit_fields(notetype, fields) if notetype else fields
    siblings = siblings_of(desk, card)
    note = {"fields": fields, "tags": tags, "note_modified": now, "modified": now}
    added: list[Card] = []
    with desk.store.transaction() as tx:
        for sibling in siblings:
            update = dict(note)
            if sibling.id == card.id or sibling.deck == card.deck:
                update["deck"] = deck
            tx.put("cards", sibling.model_copy(update=update))
        if notetype is not None:
            template = card.model_copy(update={**note, "deck": deck})
            added = [
                tx.put("cards", c) for c in new_cards_after_edit(notetype, siblings, template, now)
            ]
    return added


def fields_for(desk: Desk, card: Card) -> list[tuple[str, str]]:
    """(field name, value) for the note of `card`."""
    notetype = notetype_of(desk, card)
    if notetype is None:
        return [(f"Field {n + 1}", v) for n, v in enumerate(card.fields)]
    return list(zip(notetype.fields, fit_fields(notetype, card.fields), strict=True))


def listing(desk: Desk, query: str = "") -> list[dict[str, Any]]:
    """Every card matching `query` (the browser's search language), as `cards list --json` prints
    it: the note (guid, type, fields), the card (ord, deck), the text the review pane shows, and
    the schedule with the number of review-log entries."""
    from deskwork.domain.cardsearch import search
    from deskwork.domain.cardstats import state_of
    from deskwork.domain.revieworder import retrievability
    from deskwork.services.browse import answers_since
    from deskwork.services.presets import load as load_presets

    now = desk.clock()
    types = notetypes(desk)
    presets = load_presets(desk)
    shown_names = type_names(types)
    found = search(
        desk.store.cards.all(), query, now, shown_names, presets.decay_for,
        desk.config.study.day_start_hour, answers_since(desk), field_names(types),
    )  # fmt: skip
    found.sort(key=lambda c: (c.deck, c.note_guid, c.ord, c.id))
    render_one = Renderer(desk)
    ids = {c.id for c in found}
    logs: dict[int, int] = {}
    for log in desk.store.reviews.iter_all():
        if log.card_id in ids:
            logs[log.card_id] = logs.get(log.card_id, 0) + 1
    out: list[dict[str, Any]] = []
    for card in found:
        notetype = types.get(card.note_type)
        names = notetype.fields if notetype else [f"Field {n + 1}" for n in range(len(card.fields))]
        values = fit_fields(notetype, card.fields) if notetype else card.fields
        shown = render_one(card)
        out.append({
            "id": card.id, "anki_id": card.anki_id, "note_guid": card.note_guid,
            "note_type": notetype.name if notetype else card.note_type,
            "note_type_shown": shown_names.get(card.note_type, card.note_type),  # as `note:` has it
            "fields": dict(zip(names, values, strict=True)), "tags": card.tags, "ord": card.ord,
            "deck": card.deck, "question": shown.question, "answer": shown.answer_side(),
            "state": state_of(card), "due": card.due.isoformat(),
            "stability": card.stability, "difficulty": card.difficulty,
            "retrievability": retrievability(card, now, presets.decay_for(card)), "reps": card.reps,
            "lapses": card.lapses, "flag": card.flag, "suspended": card.suspended,
            "buried": bool(card.buried_until and card.buried_until > now),
            "reviews": logs.get(card.id, 0),
        })  # fmt: skip
    return out


def media_path(desk: Desk, name: str) -> Path | None:
    """Where the stored media file called `name` is (None when deskwork does not have it)."""
    for media in desk.store.media.all():
        if media.name == name:
            path = desk.store.media_folder.path_of(media.sha256)
            return path if path.exists() else None
    return None


PLAYERS = (("mpv", "--no-video", "--really-quiet"), ("ffplay", "-nodisp", "-autoexit", "-loglevel",
           "quiet"), ("paplay",), ("afplay",), ("aplay", "-q"))  # fmt: skip


def play(path: Path) -> str:
    """Play a sound through the system's player, in the background; returns the player's name,
    or "" when there is none."""
    import shutil
    import subprocess

    for name, *args in PLAYERS:
        exe = shutil.which(name)
        if exe:
            subprocess.Popen(
                [exe, *args, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            return name
    return ""
