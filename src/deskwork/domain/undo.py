"""What an undo of a review session takes back: the card as it was before an answer, a bury or a
suspension, the log entry written, the siblings buried, where they all stood in today's queue
(and which queue: every build has its number, across sessions), and what the change wrote, so
that only what it changed is taken back (`taken_back`: an edit or a flag made since stays)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from deskwork.domain import reviewqueue as rq
from deskwork.domain.cards import Card, ReviewLog


@dataclass
class Undo:
    before: Card
    log: ReviewLog | None  # None for actions that wrote no log entry (bury, suspend, cram)
    counted: str = ""  # "new" / "review": what the answer counted against today's limits
    buried: list[Card] = field(default_factory=list)  # siblings the answer buried, as they were
    # where the card and those siblings stood in the queue, and the queue they stood in (its
    # build, numbered across sessions: the stack goes to the next session of the same mode):
    # an undo puts them back there, unless the queue was built since
    spots: rq.Spots | None = None
    build: int = 0
    # what the change wrote (the card, the siblings): the undo takes back only the fields it
    # changed that nothing changed since (an edit or a flag made after the answer stays)
    after: Card | None = None
    buried_after: list[Card] = field(default_factory=list)

    def afters_of_buried(self) -> list[Card | None]:
        """What the change wrote for each of `buried` (None: not known, taken back whole)."""
        if len(self.buried_after) == len(self.buried):
            return list(self.buried_after)
        return [None] * len(self.buried)


builds = itertools.count(1)  # every queue built, in any session, has its own number


def taken_back(now: Card | None, before: Card, after: Card | None) -> Card:
    """`before` for a change that wrote `after`, on the card as it is `now`: each field the
    change altered goes back to `before`'s value unless something altered it since (now differs
    from after); every other field stays as it is now."""
    if now is None or after is None:
        return before
    update = {
        name: getattr(before, name)
        for name in type(before).model_fields
        if getattr(before, name) != getattr(after, name)
        and getattr(now, name) == getattr(after, name)
    }
    return now.model_copy(update=update)
